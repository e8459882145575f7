import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisioningSuite } from './provisioning.suite';

provisioningSuite('provisioning on SQLite (embedded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-prov-'));
  return {
    url: `sqlite:${join(dir, 'tenants')}`,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
