import { apiResourcesSuite } from './api-resources.suite';
import { startSystem } from './support/system';

apiResourcesSuite('API resources on the embedded default (SQLite, in-process bus)', () =>
  startSystem(),
);
