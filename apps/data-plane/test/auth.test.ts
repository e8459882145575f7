import { authSuite } from './auth.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

authSuite('data-plane auth on SQLite (embedded)', () => startDpSystem());
