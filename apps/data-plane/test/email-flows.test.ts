import { emailFlowsSuite } from './email-flows.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(60_000);

emailFlowsSuite('on SQLite (embedded)', (env) => startDpSystem(env));
