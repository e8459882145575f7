import { describeClientsApi } from './clients.suite';

// SQLite in a temp dir (the harness's default): no external service needed.
describeClientsApi('SQLite', async () => ({ cleanup: () => Promise.resolve() }));
