import { join } from 'node:path';
import { startSystem } from './support/system';
import { walkingSkeletonSuite } from './walking-skeleton.suite';

walkingSkeletonSuite(
  'walking skeleton on the embedded default (SQLite, in-process bus)',
  async () => {
    const system = await startSystem();
    return { system, tenantServerUrl: `sqlite:${join(system.dataDir, 'tenants')}` };
  },
);
