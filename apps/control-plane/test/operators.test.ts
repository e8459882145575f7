import { operatorsSuite } from './operators.suite';

// SQLite in a temp dir (startCpApp's default): no external service needed.
operatorsSuite('SQLite', async () => ({ cleanup: () => Promise.resolve() }));
