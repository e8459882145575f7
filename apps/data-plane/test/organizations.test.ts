import { organizationsSuite } from './organizations.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

organizationsSuite('organizations on SQLite (embedded)', (env) => startDpSystem(env));
