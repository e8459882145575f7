import { clientsSuite } from './clients.suite';

// SQLite in a temp dir (startCpApp's default): no external service needed.
clientsSuite('SQLite', async () => ({ cleanup: () => Promise.resolve() }));
