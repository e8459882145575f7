import { join } from 'node:path';
import { oidcCodeFlowSuite } from './oidc-code-flow.suite';
import { startSystem } from './support/system';

oidcCodeFlowSuite(
  'OpenID Connect code flow on the embedded default (SQLite, in-process bus)',
  async () => {
    const system = await startSystem();
    return { system, tenantServerUrl: `sqlite:${join(system.dataDir, 'tenants')}` };
  },
);
