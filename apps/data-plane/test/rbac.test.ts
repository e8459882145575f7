import { rbacSuite } from './rbac.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

rbacSuite('tenant roles and permissions on SQLite (embedded)', () => startDpSystem());
