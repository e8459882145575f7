import { oauth2MachineSuite } from './oauth2-machine.suite';
import { startSystem } from './support/system';

oauth2MachineSuite('OAuth 2.0 for machines on the embedded default (SQLite, in-process bus)', () =>
  startSystem(),
);
