import { operatorRevocationSuite } from './operators-revocation.suite';
import { startSystem } from './support/system';

operatorRevocationSuite('operator revocation reaches the data plane (embedded)', () =>
  startSystem(),
);
