import { startDpSystem } from './support/dp-system';
import { userImportSuite } from './user-import.suite';

jest.setTimeout(60_000);

userImportSuite('user import and export on SQLite (embedded)', () => startDpSystem());
