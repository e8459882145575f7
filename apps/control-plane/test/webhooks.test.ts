import { webhooksSuite } from './webhooks.suite';

webhooksSuite('SQLite, in-process bus', async () => ({ cleanup: () => Promise.resolve() }));
