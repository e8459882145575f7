/**
 * The compose stack on real containers: images built from Debian's packages and the npm registry
 * (scripts/stack-images.sh), started by `npm run stack:local` with three data-plane replicas
 * behind HAProxy, driven over HTTP, with replicas killed under load. Slow (image builds, a
 * Docker engine): only with HJ_STACK_TESTS=1, never in `.ci/run`.
 *
 *   HJ_STACK_TESTS=1 npx jest -c deploy/jest.config.js deploy/test/stack.system.test.ts
 *
 * HJ_STACK_SKIP_BUILD=1 reuses built images, HJ_STACK_KEEP=1 leaves the stack running,
 * HJ_STACK_TENANTS sets the tenant burst (default 100). Output of a run: docs/deployment.md.
 */
import type { Outcome } from './support/stack';
import { Stack, burst, waitFor } from './support/stack';

const enabled = process.env.HJ_STACK_TESTS === '1';
const describeStack = enabled ? describe : describe.skip;
const minutes = (n: number): number => n * 60_000;

const stack = new Stack({ project: 'hellojohn-systest', cpPort: 18081, dpPort: 18080 });
const timings: Array<[string, number]> = [];
const ADMIN = { email: 'admin@example.com', password: 'dev-only-admin-password' };

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push([label, Math.round(performance.now() - started)]);
  }
}

async function call(
  method: string,
  url: string,
  options: { token?: string; tenant?: string; body?: unknown; clientIp?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers['x-tenant-id'] = options.tenant;
  if (options.clientIp) headers['x-forwarded-for'] = options.clientIp;
  const response = await fetch(url, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  // HAProxy answers its own errors (503 when no replica is up) in HTML.
  const json = response.headers.get('content-type')?.includes('json') ?? false;
  return {
    status: response.status,
    body: json && text ? (JSON.parse(text) as Record<string, unknown>) : { text },
  };
}

/** A distinct client address per simulated client (see stack-test.compose.yml). */
const clientIp = (n: number): string => `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;

let adminToken = '';
async function tenantStatus(idOrSlug: string): Promise<string | undefined> {
  const { status, body } = await call('GET', `${stack.cpUrl}/v1/tenants/${idOrSlug}`, {
    token: adminToken,
  });
  return status === 200 ? String(body.status) : undefined;
}

function killOneReplica(): string {
  const running = stack.containers('data-plane').filter((id) => stack.state(id).running);
  const victim = running[0]!;
  stack.docker('kill', victim);
  return victim;
}

/**
 * Signs up `count` fresh accounts in 'acme'. Each phase that signs in uses its own: the data
 * plane allows 20 sign-ins per account and minute (sign_in_account), so accounts a burst used
 * would answer 429 to the next phase.
 */
async function signUpUsers(
  prefix: string,
  count: number,
  firstClient: number,
): Promise<Array<{ email: string; password: string }>> {
  const users = Array.from({ length: count }, (_, n) => ({
    email: `${prefix}-${n}@example.com`,
    password: `analytical engine notes ${prefix} ${1843 + n}`,
  }));
  for (const [n, user] of users.entries()) {
    const { status } = await call('POST', `${stack.dpUrl}/v1/auth/sign-up`, {
      tenant: 'acme',
      clientIp: clientIp(firstClient + n),
      body: user,
    });
    expect([user.email, status]).toEqual([user.email, 201]);
  }
  return users;
}

/** Every data-plane replica running (a killed one started again) and reported healthy. */
async function allReplicasHealthy(): Promise<void> {
  for (const id of stack.containers('data-plane')) {
    if (!stack.state(id).running) stack.docker('start', id);
  }
  await waitFor(
    'three healthy replicas',
    async () => {
      const healthy = stack
        .containers('data-plane')
        .filter((id) => stack.state(id).health === 'healthy');
      return healthy.length >= 3 ? true : undefined;
    },
    minutes(3),
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describeStack('the compose stack on real containers (HJ_STACK_TESTS=1)', () => {
  beforeAll(async () => {
    await timed('stack:local (build every image, start, ready)', () => {
      stack.script('stack-local', {
        HJ_STACK_DP_REPLICAS: '3',
        HJ_STACK_READY_TIMEOUT: '600',
        HJ_STACK_SKIP_BUILD: process.env.HJ_STACK_SKIP_BUILD ?? '0',
      });
    });
  }, minutes(45));

  afterAll(async () => {
    if (!enabled) return;
    if (process.env.HJ_STACK_KEEP !== '1')
      await timed('stack:down', () => {
        stack.script('stack-down');
      });
    // The figures docs/deployment.md records.
    process.stdout.write(
      `\nstack system test timings\n${timings.map(([label, ms]) => `  ${label}: ${(ms / 1000).toFixed(1)} s`).join('\n')}\n`,
    );
  }, minutes(5));

  it(
    'runs both planes healthy, hardened, three data-plane replicas; only the planes publish ports',
    async () => {
      const cp = stack.containers('control-plane');
      const dps = stack.containers('data-plane');
      expect([cp.length, dps.length]).toEqual([1, 3]);
      await timed('every plane container healthy', () =>
        waitFor(
          'healthy planes',
          async () =>
            [...cp, ...dps].every((id) => stack.state(id).health === 'healthy') ? true : undefined,
          minutes(3),
        ),
      );
      for (const id of [...cp, ...dps]) {
        const [readOnly, user] = stack
          .docker('inspect', '-f', '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}', id)
          .trim()
          .split(' ');
        expect([readOnly, user]).toEqual(['true', '1000:1000']);
        // tini is PID 1 and node its child.
        expect(stack.docker('exec', id, 'cat', '/proc/1/cmdline').split('\0')[0]).toBe(
          '/usr/bin/tini',
        );
      }
      const published = (service: string): string =>
        stack
          .containers(service)
          .map((id) => stack.docker('port', id).trim())
          .join('');
      for (const service of ['postgres', 'rabbitmq', 'redis', 'data-plane']) {
        expect([service, published(service)]).toEqual([service, '']);
      }
      expect(published('control-plane')).toContain(':18081');
      expect(published('data-plane-lb')).toContain(':18080');
    },
    minutes(4),
  );

  const walkthrough = {
    email: 'ada@example.com',
    password: 'analytical engine notes 1843',
  };
  let acmeId = '';

  it(
    'follows the README walkthrough: tenant through RabbitMQ to PostgreSQL, sign-up, sign-in, /v1/me',
    async () => {
      const signIn = await call('POST', `${stack.cpUrl}/v1/auth/sign-in`, { body: ADMIN });
      expect(signIn.status).toBe(200);
      adminToken = String(signIn.body.access_token);

      const created = await call('POST', `${stack.cpUrl}/v1/tenants`, {
        token: adminToken,
        body: { slug: 'acme', name: 'Acme Inc.' },
      });
      expect([created.status, created.body.status]).toEqual([202, 'provisioning']);
      acmeId = String(created.body.id);
      const status = await timed('one tenant from POST /v1/tenants to active', () =>
        waitFor(
          'acme to leave provisioning',
          async () => {
            const s = await tenantStatus('acme');
            return s === 'provisioning' ? undefined : s;
          },
          minutes(2),
        ),
      );
      expect(status).toBe('active');
      expect(
        stack.sql(
          `SELECT count(*) FROM pg_database WHERE datname = 'hj_t_${acmeId.replaceAll('-', '')}'`,
        ),
      ).toBe('1');

      const signUp = await call('POST', `${stack.dpUrl}/v1/auth/sign-up`, {
        tenant: 'acme',
        clientIp: clientIp(0),
        body: { ...walkthrough, name: 'Ada' },
      });
      expect(signUp.status).toBe(201);
      const signedIn = await call('POST', `${stack.dpUrl}/v1/auth/sign-in`, {
        tenant: 'acme',
        clientIp: clientIp(0),
        body: walkthrough,
      });
      expect(signedIn.status).toBe(200);
      const me = await call('GET', `${stack.dpUrl}/v1/me`, {
        tenant: 'acme',
        token: String(signedIn.body.access_token),
      });
      expect([me.status, me.body.email]).toEqual([200, walkthrough.email]);
    },
    minutes(3),
  );

  it(
    'provisions a burst of tenants while a data-plane replica is killed: each active exactly once',
    async () => {
      const total = Number(process.env.HJ_STACK_TENANTS ?? 100);
      const ids: string[] = [];
      let victim = '';
      const outcomes = await timed(`${total} tenant creations (202)`, () =>
        burst(
          total,
          8,
          async (index) => {
            const slug = `burst-${index}`;
            const create = () =>
              call('POST', `${stack.cpUrl}/v1/tenants`, {
                token: adminToken,
                body: { slug, name: `Burst ${index}` },
              });
            // A request lost on a keep-alive connection the control plane had just closed is
            // retried; 409 then means the first attempt created it (slugs are unique).
            const lost: Awaited<ReturnType<typeof call>> = { status: 0, body: {} };
            let { status, body } = await create().catch(() => lost);
            if (status === 0) ({ status, body } = await create());
            if (status === 409) {
              ({ body } = await call('GET', `${stack.cpUrl}/v1/tenants/${slug}`, {
                token: adminToken,
              }));
              status = 202;
            }
            if (status === 202) ids.push(String(body.id));
            return status;
          },
          (finished) => {
            if (finished === Math.ceil(total / 10) && !victim) victim = killOneReplica();
          },
        ),
      );
      expect(victim).not.toBe('');
      expect(outcomes.filter((o) => o.status !== 202)).toEqual([]);
      // Back to three replicas for what follows (`docker kill` counts as a manual stop).
      stack.docker('start', victim);

      const pending = await timed(`${total} tenants active (one replica killed)`, () =>
        waitFor(
          'every burst tenant to leave provisioning',
          async () => {
            const statuses = await Promise.all(ids.map((id) => tenantStatus(id)));
            return statuses.includes('provisioning') || statuses.includes(undefined)
              ? undefined
              : statuses;
          },
          minutes(10),
        ),
      );
      expect(pending.filter((s) => s !== 'active')).toEqual([]);
      // One database per tenant, no stray ones: 'acme' plus the burst.
      const databases = stack
        .sql("SELECT datname FROM pg_database WHERE datname LIKE 'hj\\_t\\_%'")
        .split('\n');
      expect(new Set(databases)).toEqual(
        new Set([acmeId, ...ids].map((id) => `hj_t_${id.replaceAll('-', '')}`)),
      );
      // Nothing left behind or dead-lettered.
      const queues = stack.queues();
      expect(queues.get('data-plane.provisioning')).toBe(0);
      expect(queues.get('data-plane.provisioning.dlq') ?? 0).toBe(0);
    },
    minutes(15),
  );

  it(
    'keeps answering sign-ins when a replica is killed mid-burst; only requests in flight may fail',
    async () => {
      await allReplicasHealthy();
      const users = await signUpUsers('burst-user', 8, 1);

      const total = 150;
      const concurrency = 6;
      let killedAt = Number.POSITIVE_INFINITY;
      const outcomes: Outcome[] = await timed(
        `${total} sign-ins through HAProxy, one replica killed`,
        () =>
          burst(
            total,
            concurrency,
            async (index) =>
              (
                await call('POST', `${stack.dpUrl}/v1/auth/sign-in`, {
                  tenant: 'acme',
                  clientIp: clientIp(100 + index),
                  body: users[index % users.length],
                })
              ).status,
            (finished) => {
              if (finished === 40 && killedAt === Number.POSITIVE_INFINITY) {
                killedAt = performance.now();
                killOneReplica();
              }
            },
          ),
      );
      const failed = outcomes.filter((o) => o.status !== 200);
      process.stdout.write(
        `sign-in burst: ${total - failed.length}/${total} answered 200; failed: ${JSON.stringify(failed.map((o) => ({ status: o.status, error: o.error })))}\n`,
      );
      expect(killedAt).toBeLessThan(Number.POSITIVE_INFINITY);
      // Only requests already in flight when the replica died may fail, at most one per worker.
      expect(failed.filter((o) => o.startedAt > killedAt)).toEqual([]);
      expect(failed.length).toBeLessThanOrEqual(concurrency);

      // Accounts the burst did not use (it signed each of its eight in about 19 times).
      const fresh = await signUpUsers('after-kill-user', 4, 20);
      const after = await burst(
        12,
        3,
        async (index) =>
          (
            await call('POST', `${stack.dpUrl}/v1/auth/sign-in`, {
              tenant: 'acme',
              clientIp: clientIp(400 + index),
              body: fresh[index % fresh.length],
            })
          ).status,
      );
      expect(after.map((o) => o.status)).toEqual(Array(12).fill(200));
    },
    minutes(10),
  );

  it(
    'restarts the data-plane replicas one by one under a small sign-in load without a failed request',
    async () => {
      // The replica the previous step killed comes back first: the rolling restart starts from three.
      await allReplicasHealthy();
      // About 4 sign-ins a second over 24 accounts: 10 per account and minute, under the limit.
      const users = await signUpUsers('rolling-user', 24, 40);
      const outcomes: Outcome[] = [];
      let running = true;
      let sent = 0;
      const worker = async (): Promise<void> => {
        while (running) {
          const index = sent++;
          const startedAt = performance.now();
          try {
            const { status } = await call('POST', `${stack.dpUrl}/v1/auth/sign-in`, {
              tenant: 'acme',
              clientIp: clientIp(1000 + index),
              body: users[index % users.length],
            });
            outcomes.push({ index, status, startedAt, endedAt: performance.now() });
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            outcomes.push({
              index,
              status: 0,
              startedAt,
              endedAt: performance.now(),
              error: message,
            });
          }
          await sleep(400);
        }
      };
      const load = Promise.all([worker(), worker()]);
      try {
        await timed('rolling restart of 3 data-plane replicas under sign-in load', async () => {
          for (const id of stack.containers('data-plane')) {
            const since = new Date().toISOString();
            // SIGTERM to tini, which hands it to node: the server stops accepting (HAProxy's
            // connects are refused and redispatched, its checks take the replica out), drains
            // what it has, exits 0; Docker starts the container again.
            await stack.dockerAsync('restart', '-t', '20', id);
            const logs = await stack.dockerAsync('logs', '--since', since, id);
            // Drained and exited by itself, not killed at the end of the grace period.
            expect(logs).toContain('"msg":"stopped"');
            await waitFor(
              `replica ${id.slice(0, 12)} healthy again`,
              async () => {
                const health = (
                  await stack.dockerAsync('inspect', '-f', '{{.State.Health.Status}}', id)
                ).trim();
                return health === 'healthy' ? true : undefined;
              },
              minutes(4),
            );
            // HAProxy takes it back after two passing checks a second apart.
            await sleep(3_000);
          }
        });
      } finally {
        running = false;
        await load;
      }
      const failed = outcomes.filter((o) => o.status !== 200);
      process.stdout.write(
        `rolling restart: ${outcomes.length - failed.length}/${outcomes.length} sign-ins answered 200; failed: ${JSON.stringify(failed.map((o) => ({ status: o.status, error: o.error })))}\n`,
      );
      expect(outcomes.length).toBeGreaterThan(30);
      expect(failed).toEqual([]);
    },
    minutes(15),
  );

  it(
    'keeps its state when both planes are stopped and started again',
    async () => {
      const jwksBefore = await call('GET', `${stack.dpUrl}/t/acme/.well-known/jwks.json`);
      await timed('stop both planes, start them, ready again', async () => {
        stack.compose('stop', 'data-plane', 'control-plane');
        stack.compose('start', 'control-plane', 'data-plane');
        await waitFor(
          'both planes ready after restart',
          async () => {
            const [cp, dp] = await Promise.all([
              fetch(`${stack.cpUrl}/readyz`),
              fetch(`${stack.dpUrl}/readyz`),
            ]);
            return cp.ok && dp.ok ? true : undefined;
          },
          minutes(3),
        );
      });
      expect(await tenantStatus('acme')).toBe('active');
      const signedIn = await call('POST', `${stack.dpUrl}/v1/auth/sign-in`, {
        tenant: 'acme',
        clientIp: clientIp(900),
        body: walkthrough,
      });
      expect(signedIn.status).toBe(200);
      const jwksAfter = await call('GET', `${stack.dpUrl}/t/acme/.well-known/jwks.json`);
      expect(jwksAfter.body).toEqual(jwksBefore.body);
    },
    minutes(5),
  );
});
