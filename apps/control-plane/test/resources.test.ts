import { resourcesSuite } from './resources.suite';
import { sqliteDatabase } from './support/cp-databases';

resourcesSuite('SQLite', sqliteDatabase);
