import { sessionRevocationsSuite } from './session-revocations.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

sessionRevocationsSuite('on SQLite (embedded)', (env) => startDpSystem(env));
