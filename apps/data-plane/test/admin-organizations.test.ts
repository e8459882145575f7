import { adminOrganizationsSuite } from './admin-organizations.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

adminOrganizationsSuite('on SQLite (embedded)', () => startDpSystem());
