import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane, type RunningControlPlane } from '@hellojohn/control-plane';
import { startDataPlane, type RunningDataPlane } from '@hellojohn/data-plane';
import { createInProcessBus, type EventBus } from '@hellojohn/events';
import { createLogger } from '@hellojohn/http';
import request from 'supertest';
import { freePort, systemEnv } from '@hellojohn/testing';

export const ADMIN = { email: 'ops@example.com', password: 'correct-horse-battery-staple' };

export interface System {
  cp: RunningControlPlane;
  dp: RunningDataPlane;
  dataDir: string;
  adminToken(): Promise<string>;
  /** Creates a tenant through the API and waits until the data plane has provisioned it. */
  createTenant(
    slug: string,
    body?: Record<string, unknown>,
  ): Promise<{ id: string; slug: string; issuer: string }>;
  close(): Promise<void>;
}

/**
 * Both planes, really listening on loopback ports, wired exactly as `npm start` wires them.
 * `env` overrides the embedded default (SQLite files in a temp dir, in-process bus).
 */
export async function startSystem(env: Record<string, string> = {}): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-e2e-'));
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const config = loadConfig(systemEnv({ dataDir, cpPort, dpPort, admin: ADMIN }, env));
  const logger = createLogger({ name: 'e2e', level: config.logLevel });
  const bus: EventBus | undefined = config.rabbitmqUrl ? undefined : createInProcessBus({ logger });
  const cp = await startControlPlane(config, logger, { bus });
  const dp = await startDataPlane(config, logger, { bus });
  let token: string | undefined;

  const system: System = {
    cp,
    dp,
    dataDir,
    async adminToken() {
      if (token) return token;
      const res = await request(cp.url).post('/v1/auth/sign-in').send(ADMIN).expect(200);
      token = (res.body as { access_token: string }).access_token;
      return token;
    },
    async createTenant(slug, body = {}) {
      const auth = `Bearer ${await system.adminToken()}`;
      const created = await request(cp.url)
        .post('/v1/tenants')
        .set('Authorization', auth)
        .send({ slug, name: `Tenant ${slug}`, ...body })
        .expect(202);
      const id = (created.body as { id: string }).id;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await request(cp.url)
          .get(`/v1/tenants/${id}`)
          .set('Authorization', auth)
          .expect(200);
        const tenant = res.body as {
          id: string;
          slug: string;
          issuer: string;
          status: string;
          status_reason: string | null;
        };
        if (tenant.status === 'active') return tenant;
        if (tenant.status === 'failed')
          throw new Error(`provisioning failed: ${tenant.status_reason ?? ''}`);
        if (Date.now() > deadline) throw new Error(`tenant ${slug} still ${tenant.status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await dp.close();
      await cp.close();
      await bus?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}
