import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane } from '@hellojohn/control-plane';
import { dropManagedDatabase } from '@hellojohn/dal';
import { startDataPlane } from '@hellojohn/data-plane';
import { createLogger } from '@hellojohn/http';
import { createControlPlaneServices, freePort, POSTGRES_URL, systemEnv } from '@hellojohn/testing';
import { ADMIN } from './start-system';
import type { BenchSystem } from './start-system';

// The same variable and default as the e2e suites on services.
const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ServicesBenchSystem extends BenchSystem {
  /** What the bench runs on, for the results file. */
  readonly services: { postgres: string; rabbitmq: string; redis: string };
  /** The RabbitMQ vhost both planes use (to observe their events). */
  readonly rabbitmqUrl: string;
  /** A tenant whose database `close()` drops. */
  track(tenantId: string): void;
}

/**
 * Both planes in this process on the production shape: PostgreSQL for the control-plane and
 * tenant databases (a fresh control-plane database), RabbitMQ on a fresh vhost, Redis for the rate
 * limits and revoked tokens (keys under a fresh prefix; they expire on their own). `close()` drops
 * every database it made and the vhost.
 */
export async function startServicesBenchSystem(
  env: Record<string, string> = {},
): Promise<ServicesBenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-bench-svc-'));
  const controlPlane = await createControlPlaneServices('hj_bench_cp');
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const config = loadConfig(
    systemEnv(
      { dataDir, cpPort, dpPort, admin: ADMIN },
      {
        HJ_CP_DATABASE_URL: controlPlane.databaseUrl,
        HJ_TENANT_DATABASE_URL: POSTGRES_URL,
        HJ_RABBITMQ_URL: controlPlane.rabbitmqUrl,
        HJ_REDIS_URL: REDIS_URL,
        ...env,
      },
    ),
  );
  const logger = createLogger({ name: 'bench', level: config.logLevel });
  const cp = await startControlPlane(config, logger);
  const dp = await startDataPlane(config, logger, {
    limitKeyPrefix: `hj-bench-${randomBytes(4).toString('hex')}`,
  });
  const tenants: string[] = [];
  const hostOf = (url: string): string => new URL(url).host;
  return {
    cpUrl: cp.url,
    dpUrl: dp.url,
    services: {
      postgres: hostOf(POSTGRES_URL),
      rabbitmq: hostOf(controlPlane.rabbitmqUrl),
      redis: hostOf(REDIS_URL),
    },
    rabbitmqUrl: controlPlane.rabbitmqUrl,
    track(tenantId) {
      tenants.push(tenantId);
    },
    async close() {
      await dp.close();
      await cp.close();
      for (const id of tenants) await dropManagedDatabase(POSTGRES_URL, id);
      await controlPlane.remove();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
