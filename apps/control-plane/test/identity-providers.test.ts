import { identityProvidersSuite } from './identity-providers.suite';
import { sqliteDatabase } from './support/cp-databases';

identityProvidersSuite('SQLite', sqliteDatabase);
