import { corsSuite } from './cors.suite';
import { startSystem } from './support/system';

corsSuite('CORS on the embedded default (SQLite, in-process bus)', () => startSystem());
