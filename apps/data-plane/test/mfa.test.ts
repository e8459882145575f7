import { mfaSuite } from './mfa.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

mfaSuite('on SQLite (embedded)', (env) => startDpSystem(env));
