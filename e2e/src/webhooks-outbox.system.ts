import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane, type RunningControlPlane } from '@hellojohn/control-plane';
import { dropManagedDatabase } from '@hellojohn/dal';
import { createLogger } from '@hellojohn/http';
import {
  createDatabase,
  createVhost,
  deleteRedisKeys,
  dropDatabase,
  freePort,
  POSTGRES_URL,
  systemEnv,
  testRedisPrefix,
  uniqueName,
} from '@hellojohn/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { startReceiver, type Receiver } from './webhooks-outbox.receiver';

const ADMIN = { email: 'outbox@example.com', password: 'correct-horse-battery-staple' };
const ROOT = resolve(__dirname, '../..');
const PASSWORD = 'analytical engine notes 1843';
export const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const sleep = (ms: number): Promise<void> =>
  new Promise((done) => {
    setTimeout(done, ms);
  });

/** A data plane in a child process (`apps/data-plane/src/main.ts`), to be SIGKILLed for real. */
export interface ChildDataPlane {
  kill(): Promise<void>;
}

/** A webhook the receiver serves at `/hooks/{tenantId}`. */
export interface TestWebhook {
  tenantId: string;
  slug: string;
  secret: string;
}

/**
 * The control plane in this process (PostgreSQL global database, RabbitMQ vhost of its own), the
 * data plane as a child process on the same broker, Redis and PostgreSQL tenant databases, and a
 * webhook receiver on 127.0.0.1. The relay sweeps every second and webhook retries are short,
 * by configuration.
 */
export interface OutboxSystem {
  cp: RunningControlPlane;
  dpUrl: string;
  receiver: Receiver;
  /** `HJ_REDIS_KEY_PREFIX` of this run (its keys are deleted at close). */
  redisKeyPrefix: string;
  startDataPlane(): Promise<ChildDataPlane>;
  /** A tenant, active, with a webhook for every event type pointing at the receiver. */
  tenantWithWebhook(slug: string): Promise<TestWebhook>;
  /** Signs a user up on the tenant; resolves to its id and access token. */
  signUp(slug: string, email: string): Promise<{ userId: string; token: string }>;
  /** Requests received for the tenant's webhook, each verified with `standardwebhooks`. */
  deliveriesOf(
    hook: TestWebhook,
  ): Array<{ webhookId: string; type: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Sends until the answer is not a 503: a data plane at its connection budget answers 503 with
 * `Retry-After` before touching the tenant database (design §2), so sending again is safe.
 */
export async function retryUnavailable(send: () => request.Test): Promise<request.Response> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await send();
    if (res.status !== 503 || attempt >= 20) return res;
    await sleep(250 * attempt);
  }
}

export async function startOutboxSystem(
  overrides: Record<string, string> = {},
): Promise<OutboxSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-outbox-'));
  const cpName = uniqueName('hj_outbox_cp');
  const cpDbUrl = await createDatabase(POSTGRES_URL, cpName);
  const vhost = createVhost();
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const env = systemEnv(
    { dataDir, cpPort, dpPort, admin: ADMIN },
    {
      HJ_CP_DATABASE_URL: cpDbUrl,
      HJ_TENANT_DATABASE_URL: POSTGRES_URL,
      HJ_RABBITMQ_URL: vhost.url,
      HJ_REDIS_URL: REDIS_URL,
      HJ_REDIS_KEY_PREFIX: testRedisPrefix(),
      HJ_TENANT_POOL_MAX: '50',
      HJ_OUTBOX_SWEEP_SECONDS: '1',
      HJ_WEBHOOK_RETRY_SCHEDULE: '0.2,0.5,1,1,1,1,1,1',
      ...overrides,
    },
  );
  const config = loadConfig(env);
  const logger = createLogger({ name: 'outbox-e2e', level: config.logLevel });
  const cp = await startControlPlane(config, logger);
  const receiver = await startReceiver();
  const children = new Set<ChildProcess>();
  const tenantIds: string[] = [];
  let token: string | undefined;
  const dpUrl = `http://127.0.0.1:${dpPort}`;

  const auth = async (): Promise<string> => {
    if (!token) {
      const res = await request(cp.url).post('/v1/auth/sign-in').send(ADMIN).expect(200);
      token = (res.body as { access_token: string }).access_token;
    }
    return `Bearer ${token}`;
  };

  async function waitActive(id: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await request(cp.url)
        .get(`/v1/tenants/${id}`)
        .set('Authorization', await auth());
      const status = (res.body as { status?: string }).status;
      if (status === 'active') return;
      if (status === 'failed' || Date.now() > deadline) {
        throw new Error(`tenant ${id} is ${String(status)}`);
      }
      await sleep(200);
    }
  }

  return {
    cp,
    dpUrl,
    receiver,
    redisKeyPrefix: config.redisKeyPrefix,
    async startDataPlane() {
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('HJ_')),
      );
      // Node with tsx as a loader, not the tsx CLI: SIGKILL must reach the data plane itself.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@hellojohn/source', 'apps/data-plane/src/main.ts'],
        { cwd: ROOT, env: { ...inherited, ...env }, stdio: 'ignore' },
      );
      children.add(child);
      const exited = new Promise<void>((done) => {
        child.once('exit', () => {
          done();
        });
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error('the data plane exited at start-up');
        const up = await fetch(`${dpUrl}/healthz`).then(
          (res) => res.ok,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error('the data plane did not start');
        await sleep(200);
      }
      return {
        async kill() {
          child.kill('SIGKILL');
          await exited;
          children.delete(child);
        },
      };
    },
    async tenantWithWebhook(slug) {
      const created = await request(cp.url)
        .post('/v1/tenants')
        .set('Authorization', await auth())
        .send({ slug, name: `Tenant ${slug}` })
        .expect(202);
      const tenantId = (created.body as { id: string }).id;
      tenantIds.push(tenantId);
      await waitActive(tenantId);
      const hook = await request(cp.url)
        .post(`/v1/tenants/${tenantId}/webhooks`)
        .set('Authorization', await auth())
        .send({ url: receiver.url(`/hooks/${tenantId}`), event_types: ['*'] })
        .expect(201);
      return { tenantId, slug, secret: (hook.body as { secret: string }).secret };
    },
    async signUp(slug, email) {
      const res = await retryUnavailable(() =>
        request(dpUrl)
          .post('/v1/auth/sign-up')
          .set('X-Tenant-ID', slug)
          .send({ email, password: PASSWORD }),
      );
      if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${res.text}`);
      const body = res.body as { user: { id: string }; access_token: string };
      return { userId: body.user.id, token: body.access_token };
    },
    deliveriesOf(hook) {
      const verifier = new Webhook(hook.secret);
      return receiver.received
        .filter((r) => r.path === `/hooks/${hook.tenantId}`)
        .map((r) => {
          const headers: Record<string, string> = {};
          for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
            const value = r.headers[name];
            if (typeof value === 'string') headers[name] = value;
          }
          // Throws unless the Standard Webhooks signature holds (an independent implementation).
          const body = verifier.verify(r.body, headers) as {
            type: string;
            data: Record<string, unknown>;
          };
          return { webhookId: headers['webhook-id'] ?? '', type: body.type, data: body.data };
        });
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await receiver.close();
      await cp.close();
      for (let i = 0; i < tenantIds.length; i += 8) {
        await Promise.all(
          tenantIds.slice(i, i + 8).map((id) => dropManagedDatabase(POSTGRES_URL, id)),
        );
      }
      await dropDatabase(POSTGRES_URL, cpName);
      vhost.remove();
      const redis = new Redis(REDIS_URL);
      await deleteRedisKeys(redis, config.redisKeyPrefix).finally(() => {
        redis.disconnect();
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
