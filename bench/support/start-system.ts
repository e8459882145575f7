import { freePort, systemEnv } from '@hellojohn/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane } from '@hellojohn/control-plane';
import { startDataPlane } from '@hellojohn/data-plane';
import { createInProcessBus } from '@hellojohn/events';
import { createLogger } from '@hellojohn/http';

export const ADMIN = { email: 'bench@example.com', password: 'bench-admin-password-1' };

export interface BenchSystem {
  cpUrl: string;
  dpUrl: string;
  close(): Promise<void>;
}

/**
 * Both planes in this process on loopback ports, wired as `npm start` wires them on the embedded
 * default (SQLite files in a temp dir, in-process bus, in-memory rate limits).
 */
export async function startBenchSystem(env: Record<string, string> = {}): Promise<BenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-bench-'));
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const config = loadConfig(systemEnv({ dataDir, cpPort, dpPort, admin: ADMIN }, env));
  const logger = createLogger({ name: 'bench', level: config.logLevel });
  const bus = createInProcessBus({ logger });
  const cp = await startControlPlane(config, logger, { bus });
  const dp = await startDataPlane(config, logger, { bus });
  return {
    cpUrl: cp.url,
    dpUrl: dp.url,
    async close() {
      await dp.close();
      await cp.close();
      await bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
