import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { createEvent, createInProcessBus } from '@hellojohn/events';
import { closeServer, listen } from '@hellojohn/http';
import express from 'express';
import request from 'supertest';
import { startDataPlane, type RunningDataPlane } from '../../src/server';
import { silentLogger } from './abuse-app';

export interface AbuseDataPlane {
  dp: RunningDataPlane;
  tenant: { id: string; slug: string };
  close(): Promise<void>;
}

/** Serves `/internal/v1/tenants/:ref` for one active tenant, as the control plane would. */
async function fakeControlPlane(
  tenant: Record<string, unknown>,
): Promise<{ server: Server; url: string }> {
  const app = express();
  app.get('/internal/v1/tenants/:ref', (req, res) => {
    const ref = req.params.ref;
    if (ref === tenant.id || ref === tenant.slug) res.json(tenant);
    else res.status(404).json({ code: 'tenant_not_found' });
  });
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}` };
}

/**
 * The real data plane (SQLite tenant databases in a temp dir, in-process bus) with one
 * provisioned tenant whose `settings` are given. `env` adds HJ_* variables (e.g. HJ_REDIS_URL);
 * `limitKeyPrefix` namespaces the limit keys (a random one on the shared Redis).
 */
export async function startAbuseDataPlane(
  settings: Record<string, unknown>,
  env: Record<string, string> = {},
  options: { limitKeyPrefix?: string } = {},
): Promise<AbuseDataPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-abuse-'));
  const slug = `abuse-${randomUUID().slice(0, 8)}`;
  const id = randomUUID();
  const issuer = `http://127.0.0.1/t/${slug}`;
  const tenant = {
    id,
    slug,
    name: slug,
    status: 'active',
    issuer,
    settings,
    database: { mode: 'managed' },
  };
  const cp = await fakeControlPlane(tenant);
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: `sqlite:${join(dataDir, 'control-plane.db')}`,
    HJ_TENANT_DATABASE_URL: `sqlite:${join(dataDir, 'tenants')}`,
    HJ_HOST: '127.0.0.1',
    HJ_CP_URL: cp.url,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    ...env,
  });
  const bus = createInProcessBus();
  const dp = await startDataPlane(config, silentLogger, { bus, port: 0, ...options });
  let markProvisioned: () => void = () => undefined;
  const provisioned = new Promise<void>((resolve) => {
    markProvisioned = resolve;
  });
  const subscription = await bus.subscribe(
    { name: `abuse-test-${slug}`, mode: 'exclusive', routingKeys: ['tenant.provisioned'] },
    async (event) => {
      if (event.tenant_id === id) markProvisioned();
    },
  );
  await bus.publish(
    createEvent('tenant.created', id, {
      slug,
      name: slug,
      issuer,
      database: { mode: 'managed' },
      settings,
    }),
  );
  await provisioned;
  await subscription.close();
  return {
    dp,
    tenant: { id, slug },
    async close() {
      await dp.close();
      await bus.close();
      await closeServer(cp.server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many answers of each `<status> <code>`. */
function tally(answers: request.Response[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const res of answers) {
    const key = `${res.status} ${(res.body as { code: string }).code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Signs a user up with `password`, then sends 25 wrong passwords for them at once, each from an
 * X-Forwarded-For of its own; how many answers of each `<status> <code>` came back.
 */
export async function wrongPasswordBurst(
  system: AbuseDataPlane,
  password: string,
): Promise<Record<string, number>> {
  const path = (p: string) => `/t/${system.tenant.slug}${p}`;
  const email = 'burst@example.com';
  const created = await request(system.dp.url)
    .post(path('/v1/auth/sign-up'))
    .set('X-Forwarded-For', '10.4.0.1')
    .send({ email, password });
  expect(created.status).toBe(201);
  const answers = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      request(system.dp.url)
        .post(path('/v1/auth/sign-in'))
        .set('X-Forwarded-For', `10.4.1.${i}`)
        .send({ email, password: `wrong-password-${i}` }),
    ),
  );
  return tally(answers);
}
