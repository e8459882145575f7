import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { createInProcessBus } from '@hellojohn/events';
import { createLogger, createMetrics } from '@hellojohn/http';
import { freePort } from '@hellojohn/testing';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApp } from '../src/app';
import { createDeps, type DepsOptions } from '../src/deps';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OWNER = { email: 'owner@example.com', password: 'owner-password-123' };

interface Replica {
  app: Express;
  close(): Promise<void>;
}

interface Readiness {
  status: string;
  checks: { redis?: { status: string; detail?: { connected: boolean } } };
}

/**
 * One control-plane replica over `createApp(deps)`, with `HJ_REDIS_URL` set. Each has its own
 * SQLite database (the budget under test lives in Redis, not in the database).
 */
async function startReplica(
  redisUrl: string,
  limitKeyPrefix: string,
  adminSignIn?: DepsOptions['adminSignIn'],
): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-cp-limit-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: `sqlite:${join(dataDir, 'cp.db')}`,
    HJ_ADMIN_EMAIL: OWNER.email,
    HJ_ADMIN_PASSWORD: OWNER.password,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    HJ_PUBLIC_URL: 'https://id.example.com',
    HJ_REDIS_URL: redisUrl,
  });
  const logger = createLogger({ name: 'cp-limit-test', level: 'silent' });
  const bus = createInProcessBus({ logger });
  const deps = await createDeps(config, logger, { bus, limitKeyPrefix, adminSignIn });
  await deps.modules.admins.service.bootstrap(config.adminEmail, config.adminPassword);
  return {
    app: createApp(deps, createMetrics('control_plane_limit_test')),
    async close() {
      await deps.close();
      await bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const readiness = async (app: Express) => (await request(app).get('/readyz')).body as Readiness;

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const signIn = (app: Express, password: string, email = OWNER.email, ip?: string) => {
  const req = request(app).post('/v1/auth/sign-in');
  if (ip !== undefined) void req.set('X-Forwarded-For', ip);
  return req.send({ email, password });
};

/**
 * Two replicas on the shared Redis under a fresh key prefix, for the tests of the enclosing
 * `describe` (started in its `beforeAll`, once both report Redis connected). Its `afterAll` closes
 * them and deletes every key under the prefix.
 */
function twoReplicasOnSharedRedis(adminSignIn?: DepsOptions['adminSignIn']) {
  const shared = {
    prefix: `hjtest-${randomUUID()}`,
    admin: new Redis(REDIS_URL, { lazyConnect: true }),
    one: undefined as unknown as Replica,
    two: undefined as unknown as Replica,
  };

  beforeAll(async () => {
    await shared.admin.connect();
    shared.one = await startReplica(REDIS_URL, shared.prefix, adminSignIn);
    shared.two = await startReplica(REDIS_URL, shared.prefix, adminSignIn);
    for (const replica of [shared.one, shared.two]) {
      await waitFor(
        async () => (await readiness(replica.app)).checks.redis?.detail?.connected === true,
        'the replica to reach redis',
      );
    }
  });

  afterAll(async () => {
    await shared.one.close();
    await shared.two.close();
    const keys = await shared.admin.keys(`${shared.prefix}:*`);
    if (keys.length > 0) await shared.admin.del(...keys);
    expect(await shared.admin.keys(`${shared.prefix}:*`)).toEqual([]);
    await shared.admin.quit();
  });

  return shared;
}

describe('CP admin sign-in limits on the shared Redis', () => {
  const shared = twoReplicasOnSharedRedis();

  it('shares one per-IP budget between replicas: the 21st attempt is refused by either', async () => {
    const { prefix, admin, one, two } = shared;
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const replica = attempt % 2 === 0 ? two : one;
      const res = await signIn(replica.app, `wrong-${attempt}`, `admin${attempt}@example.com`);
      expect(res.status).toBe(401);
    }
    for (const replica of [one, two]) {
      const limited = await signIn(replica.app, OWNER.password);
      expect(limited.status).toBe(429);
      expect((limited.body as { code: string }).code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // The counters are in Redis under this test's prefix, and hold no email address: one
    // address budget, and the failures of the 20 (address, account) pairs and 20 accounts. The
    // refused attempts never reached the per-account counts.
    const keys = await admin.keys(`${prefix}:*`);
    const under = (name: string) =>
      keys.filter((key) => key.startsWith(`${prefix}:cp:sign_in:${name}:`));
    expect(under('ip')).toHaveLength(1);
    expect(under('pair')).toHaveLength(20);
    expect(under('account:failures')).toHaveLength(20);
    expect(under('account:gate')).toHaveLength(0);
    expect(keys.join(' ')).not.toContain('@');
  });
});

/**
 * An attacker on one replica cannot lock the owner out on another: the per-account delay is
 * shared through Redis, and the owner waits at most its cap (2 s here).
 *
 * @see issue 15
 */
describe('CP admin sign-in on the shared Redis: an attacker cannot lock the owner out', () => {
  const CAP_SECONDS = 2;
  const shared = twoReplicasOnSharedRedis({
    ip: { points: 1000, durationSeconds: 60 },
    policy: { account: { maxSeconds: CAP_SECONDS } },
  });

  it('slows the attacker on one replica; the owner signs in on the other within the cap', async () => {
    const { prefix, admin, one, two } = shared;
    const attack: number[] = [];
    for (let i = 0; i < 40; i++)
      attack.push((await signIn(one.app, `guess-${i}`, OWNER.email, '203.0.113.10')).status);
    expect(attack.filter((status) => status === 401).length).toBeGreaterThanOrEqual(6);
    expect(attack.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(attack.at(-1)).toBe(429);

    let owner = await signIn(two.app, OWNER.password, OWNER.email, '198.51.100.20');
    if (owner.status === 429) {
      expect((owner.body as { code: string }).code).toBe('rate_limited');
      const wait = Number(owner.headers['retry-after']);
      expect(wait).toBeLessThanOrEqual(CAP_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      owner = await signIn(two.app, OWNER.password, OWNER.email, '198.51.100.20');
    }
    expect(owner.status).toBe(200);
    // The success lifted the shared delay: no gate left in Redis.
    expect(await admin.keys(`${prefix}:cp:sign_in:account:gate:*`)).toEqual([]);
  });
});

describe('CP admin sign-in with Redis configured but unreachable', () => {
  let replica: Replica;

  beforeAll(async () => {
    // A port nothing listens on: the store can never connect.
    replica = await startReplica(`redis://127.0.0.1:${await freePort()}`, 'hjtest-down');
  });

  afterAll(async () => {
    await replica.close();
  });

  it('fails closed with 503 service_unavailable, and /readyz reports redis disconnected', async () => {
    const started = Date.now();
    const res = await signIn(replica.app, OWNER.password);
    expect(res.status).toBe(503);
    expect((res.body as { code: string }).code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBeDefined();
    // Loose bound on purpose: the point is "no hang", not a latency budget.
    expect(Date.now() - started).toBeLessThan(5_000);
    const report = await readiness(replica.app);
    // Reported, not fatal: every replica shares the one Redis.
    expect(report.status).toBe('ready');
    expect(report.checks.redis?.status).toBe('up');
    expect(report.checks.redis?.detail?.connected).toBe(false);
  });
});
