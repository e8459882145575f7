/**
 * The soak's load (`npm run soak`), in a child process of its own so the server process's memory
 * and handles hold the system under test only. An open-loop mix at a bounded rate: every tick
 * starts one operation picked by weight, unless `maxInFlight` are still running (then the tick is
 * counted as skipped, not queued: a slow system is not buried under a backlog).
 *
 * Set-up (not counted): a CP admin signs in, creates tenant `soak-<hex>`, registers confidential
 * client_credentials clients and a webhook for every event type pointing at a receiver in this
 * process, and signs up the pool of users. Now and then a tenant is created, used and deleted
 * (provisioning and deprovisioning under load). Every answer is checked against the statuses the
 * API documents for the happy path; anything else is an error.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkloadSpec {
  cpUrl: string;
  dpUrl: string;
  admin: { email: string; password: string };
  /** Operations started per second. */
  rate: number;
  maxInFlight: number;
  seconds: number;
  /** A tenant is created, used and deleted this often. */
  tenantEverySeconds: number;
  users: number;
  clients: number;
}

export interface WorkloadStats {
  requests: number;
  errors: number;
  /** Operations by name, and ticks skipped because `maxInFlight` were running. */
  operations: Record<string, number>;
  skippedTicks: number;
  /** 503 + Retry-After answers (load shed at the connection budget), sent again, by request. */
  shed: Record<string, number>;
  /** Each tenant cycle: ms from POST to `active`, and from DELETE to `404`. */
  tenantCycles: Array<{ activeMs: number; goneMs: number }>;
  /** Operations still running when the run ended and not finished 60 s later. */
  abandoned: number;
  /** Unexpected answers by `request status` (or error code). */
  failures: Record<string, number>;
  /** The first few unexpected answers, cut short. */
  firstFailures: string[];
  webhookDeliveries: number;
  tenantsCycled: number;
}

/** Parent -> child. */
export type WorkloadCommand = { type: 'start'; spec: WorkloadSpec } | { type: 'stats' };

/** Child -> parent. */
export type WorkloadMessage =
  | { type: 'ready'; tenantId: string }
  | { type: 'stats'; stats: WorkloadStats }
  | { type: 'tenant'; tenantId: string }
  | { type: 'done'; stats: WorkloadStats }
  | { type: 'failed'; error: string };

const PASSWORD = 'soak password that is long enough';
const SCOPE = 'soak:read';

/** RFC 2544's benchmarking range, one address per request (the per-IP limits see a fleet). */
let nextAddress = 0;
function clientAddress(): string {
  const n = nextAddress++ % 65_536;
  return `198.18.${n >> 8}.${n & 255}`;
}

interface User {
  email: string;
  access: string;
  refresh: string;
  /** When `access` was issued (ms): renewed before its 15 minutes are up. */
  issuedAt: number;
  busy: boolean;
}

interface Client {
  id: string;
  secret: string;
  token: string;
  issuedAt: number;
}

/** Access tokens (users', machines', the admin's) are renewed after 10 of their 15 minutes. */
const TOKEN_RENEW_MS = 10 * 60_000;

export async function runWorkload(
  spec: WorkloadSpec,
  notify: (message: WorkloadMessage) => void,
  shouldStop: () => boolean,
): Promise<WorkloadStats> {
  const stats: WorkloadStats = {
    requests: 0,
    errors: 0,
    operations: {},
    skippedTicks: 0,
    shed: {},
    tenantCycles: [],
    abandoned: 0,
    failures: {},
    firstFailures: [],
    webhookDeliveries: 0,
    tenantsCycled: 0,
  };
  const snapshot = (): WorkloadStats => structuredClone(stats);
  process.on('message', (command: WorkloadCommand) => {
    if (command.type === 'stats') notify({ type: 'stats', stats: snapshot() });
  });

  /**
   * One request; `false` (and an error counted) unless it answers one of `expected`. A 503 with
   * `Retry-After` is the data plane shedding load at its connection budget (docs/api.md): sent
   * again after the pause it asks for (at most 2 s), as a well-behaved client would, up to 5 times,
   * and counted in `shed`; a 503 that persists is an error.
   */
  async function call(
    name: string,
    url: string,
    init: RequestInit,
    expected: readonly number[],
  ): Promise<{ ok: boolean; body: string }> {
    let label: string;
    let body = '';
    for (let attempt = 0; ; attempt++) {
      stats.requests += 1;
      const headers = new Headers(init.headers);
      headers.set('x-forwarded-for', clientAddress());
      try {
        const res = await fetch(url, { ...init, headers });
        body = await res.text();
        if (expected.includes(res.status)) return { ok: true, body };
        const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
        if (res.status === 503 && Number.isFinite(retryAfter) && attempt < 5) {
          stats.shed[name] = (stats.shed[name] ?? 0) + 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter, 2) * 1000));
          continue;
        }
        label = `${name} ${res.status}`;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        label = `${name} ${cause?.code ?? (error as Error).message}`;
        body = String(error);
      }
      break;
    }
    fail(label, body);
    return { ok: false, body };
  }

  function fail(label: string, detail: string): void {
    stats.errors += 1;
    stats.failures[label] = (stats.failures[label] ?? 0) + 1;
    if (stats.firstFailures.length < 10) {
      stats.firstFailures.push(`${label}: ${detail.slice(0, 300)}`);
    }
  }

  const json = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
  });
  /** A set-up step: must succeed, or the soak stops. */
  async function must<T>(name: string, url: string, init: RequestInit, status: number): Promise<T> {
    const res = await call(name, url, init, [status]);
    if (!res.ok) throw new Error(`set-up ${name} failed: ${res.body.slice(0, 300)}`);
    return (res.body ? JSON.parse(res.body) : {}) as T;
  }

  // The webhook receiver: counts deliveries and answers 204.
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      stats.webhookDeliveries += 1;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  let admin = { token: '', issuedAt: 0 };
  async function adminToken(): Promise<string> {
    if (Date.now() - admin.issuedAt > TOKEN_RENEW_MS) {
      const { access_token } = await must<{ access_token: string }>(
        'admin sign-in',
        `${spec.cpUrl}/v1/auth/sign-in`,
        json(spec.admin),
        200,
      );
      admin = { token: access_token, issuedAt: Date.now() };
    }
    return admin.token;
  }

  async function createTenant(slug: string): Promise<{ id: string; slug: string }> {
    const created = await must<{ id: string }>(
      'create tenant',
      `${spec.cpUrl}/v1/tenants`,
      bearer(await adminToken(), json({ slug, name: `Soak ${slug}` })),
      202,
    );
    notify({ type: 'tenant', tenantId: created.id });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const tenant = await must<{ status: string }>(
        'get tenant',
        `${spec.cpUrl}/v1/tenants/${created.id}`,
        bearer(await adminToken()),
        200,
      );
      if (tenant.status === 'active') return { id: created.id, slug };
      if (tenant.status === 'failed' || Date.now() > deadline) {
        throw new Error(`tenant ${slug} is ${tenant.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // Set-up.
  const run = randomBytes(3).toString('hex');
  const tenant = await createTenant(`soak-${run}`);
  const t = `${spec.dpUrl}/t/${tenant.slug}`;
  await must(
    'create webhook',
    `${spec.cpUrl}/v1/tenants/${tenant.id}/webhooks`,
    bearer(await adminToken(), json({ url: hookUrl, event_types: ['*'] })),
    201,
  );
  const clients: Client[] = [];
  for (let i = 0; i < spec.clients; i++) {
    const { client_id, client_secret } = await must<{ client_id: string; client_secret: string }>(
      'register client',
      `${spec.cpUrl}/v1/tenants/${tenant.id}/clients`,
      bearer(
        await adminToken(),
        json({
          name: `soak machine ${i}`,
          type: 'confidential',
          grant_types: ['client_credentials'],
          scopes: [SCOPE],
        }),
      ),
      201,
    );
    clients.push({ id: client_id, secret: client_secret, token: '', issuedAt: 0 });
  }
  let signUps = 0;
  const newEmail = (): string => `soak-${run}-${signUps++}@soak.example`;
  const users: User[] = [];
  for (let i = 0; i < spec.users; i++) {
    const email = newEmail();
    const tokens = await must<{ access_token: string; refresh_token: string }>(
      'sign-up',
      `${t}/v1/auth/sign-up`,
      json({ email, password: PASSWORD }),
      201,
    );
    users.push({
      email,
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      issuedAt: Date.now(),
      busy: false,
    });
  }
  notify({ type: 'ready', tenantId: tenant.id });

  // Operations.
  const basic = (client: Client): string =>
    `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
  const form = (client: Client, fields: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client),
    },
    body: new URLSearchParams(fields).toString(),
  });
  let nextClient = 0;
  const pickClient = (): Client => clients[nextClient++ % clients.length] as Client;

  async function refresh(user: User): Promise<void> {
    const res = await call(
      'refresh',
      `${t}/v1/auth/refresh`,
      json({ refresh_token: user.refresh }),
      [200],
    );
    if (!res.ok) return;
    const tokens = JSON.parse(res.body) as { access_token: string; refresh_token: string };
    Object.assign(user, {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      issuedAt: Date.now(),
    });
  }

  async function clientToken(client: Client): Promise<void> {
    const res = await call(
      'client_credentials',
      `${t}/oauth2/token`,
      form(client, { grant_type: 'client_credentials', scope: SCOPE }),
      [200],
    );
    if (res.ok) {
      client.token = (JSON.parse(res.body) as { access_token: string }).access_token;
      client.issuedAt = Date.now();
    }
  }

  /** Runs `body` with a user no other operation holds, or does nothing when all are held. */
  async function withUser(body: (user: User) => Promise<void>): Promise<void> {
    const free = users.filter((user) => !user.busy);
    const user = free[Math.floor(Math.random() * free.length)];
    if (!user) return;
    user.busy = true;
    try {
      if (Date.now() - user.issuedAt > TOKEN_RENEW_MS) await refresh(user);
      await body(user);
    } finally {
      user.busy = false;
    }
  }

  const operations: ReadonlyArray<[name: string, weight: number, run: () => Promise<void>]> = [
    [
      'me',
      25,
      () =>
        withUser(async (user) => {
          await call('me', `${t}/v1/me`, bearer(user.access), [200]);
        }),
    ],
    ['refresh', 14, () => withUser(refresh)],
    [
      // A new session, and the previous one ends (sign-out by refresh token): sessions stay bounded.
      'sign-in + sign-out',
      8,
      () =>
        withUser(async (user) => {
          const res = await call(
            'sign-in',
            `${t}/v1/auth/sign-in`,
            json({ email: user.email, password: PASSWORD }),
            [200],
          );
          if (!res.ok) return;
          const previous = user.refresh;
          const tokens = JSON.parse(res.body) as { access_token: string; refresh_token: string };
          Object.assign(user, {
            access: tokens.access_token,
            refresh: tokens.refresh_token,
            issuedAt: Date.now(),
          });
          await call('sign-out', `${t}/v1/auth/sign-out`, json({ refresh_token: previous }), [204]);
        }),
    ],
    [
      // A new user, whose session ends at once (sign-out by bearer access token).
      'sign-up + sign-out',
      4,
      async () => {
        const res = await call(
          'sign-up',
          `${t}/v1/auth/sign-up`,
          json({ email: newEmail(), password: PASSWORD }),
          [201],
        );
        if (!res.ok) return;
        const { access_token } = JSON.parse(res.body) as { access_token: string };
        await call(
          'sign-out',
          `${t}/v1/auth/sign-out`,
          bearer(access_token, { method: 'POST' }),
          [204],
        );
      },
    ],
    [
      'jwks',
      10,
      async () => {
        await call('jwks', `${t}/.well-known/jwks.json`, {}, [200]);
      },
    ],
    [
      'discovery',
      10,
      async () => {
        await call('discovery', `${t}/.well-known/openid-configuration`, {}, [200]);
      },
    ],
    ['client_credentials', 10, () => clientToken(pickClient())],
    [
      'introspect',
      12,
      async () => {
        const client = pickClient();
        if (!client.token || Date.now() - client.issuedAt > TOKEN_RENEW_MS) {
          await clientToken(client);
        }
        const res = await call(
          'introspect',
          `${t}/oauth2/introspect`,
          form(client, { token: client.token, token_type_hint: 'access_token' }),
          [200],
        );
        if (res.ok && !res.body.includes('"active":true')) fail('introspect inactive', res.body);
      },
    ],
    [
      'admin user list',
      7,
      async () => {
        await call(
          'admin users',
          `${spec.dpUrl}/v1/admin/users?limit=20`,
          bearer(await adminToken(), { headers: { 'x-tenant-id': tenant.slug } }),
          [200],
        );
      },
    ],
  ];
  const totalWeight = operations.reduce((sum, [, weight]) => sum + weight, 0);
  function pick(): [string, () => Promise<void>] {
    let r = Math.random() * totalWeight;
    for (const [name, weight, body] of operations) {
      r -= weight;
      if (r < 0) return [name, body];
    }
    const [name, , body] = operations[0] as (typeof operations)[number];
    return [name, body];
  }

  /** Provisioning under load: a tenant is created, used, deleted, and gone (404). */
  async function cycleTenant(): Promise<void> {
    const slug = `soak-${run}-${stats.tenantsCycled}`;
    const created = Date.now();
    const extra = await createTenant(slug);
    const activeMs = Date.now() - created;
    const base = `${spec.dpUrl}/t/${slug}`;
    await call(
      'extra sign-up',
      `${base}/v1/auth/sign-up`,
      json({ email: newEmail(), password: PASSWORD }),
      [201],
    );
    await call('extra jwks', `${base}/.well-known/jwks.json`, {}, [200]);
    const deleted = Date.now();
    await call(
      'delete tenant',
      `${spec.cpUrl}/v1/tenants/${extra.id}`,
      bearer(await adminToken(), { method: 'DELETE' }),
      [202],
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await fetch(`${spec.cpUrl}/v1/tenants/${extra.id}`, bearer(await adminToken()));
      await res.text();
      if (res.status === 404) break;
      if (Date.now() > deadline) {
        fail('tenant not deleted', extra.id);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    stats.tenantsCycled += 1;
    stats.tenantCycles.push({ activeMs, goneMs: Date.now() - deleted });
  }

  // The run: one tick every 1/rate s, drift-corrected; a tenant cycle every tenantEverySeconds.
  let inFlight = 0;
  const running = new Set<Promise<void>>();
  const track = (promise: Promise<void>): void => {
    running.add(promise);
    void promise.finally(() => running.delete(promise));
  };
  const start = Date.now();
  const end = start + spec.seconds * 1000;
  let tenantCycle: Promise<void> | undefined;
  let nextTenantAt = start + (spec.tenantEverySeconds * 1000) / 2;
  for (let tick = 0; ; tick++) {
    const due = start + (tick * 1000) / spec.rate;
    if (due >= end || shouldStop()) break;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!tenantCycle && Date.now() >= nextTenantAt && end - Date.now() > 60_000) {
      nextTenantAt += spec.tenantEverySeconds * 1000;
      tenantCycle = cycleTenant()
        .catch((error: unknown) => {
          fail('tenant cycle', String(error));
        })
        .finally(() => {
          tenantCycle = undefined;
        });
      track(tenantCycle);
    }
    if (inFlight >= spec.maxInFlight) {
      stats.skippedTicks += 1;
      continue;
    }
    const [name, body] = pick();
    stats.operations[name] = (stats.operations[name] ?? 0) + 1;
    inFlight += 1;
    track(
      body()
        .catch((error: unknown) => {
          fail(`${name} threw`, String(error));
        })
        .finally(() => {
          inFlight -= 1;
        }),
    );
  }
  // What is still running gets 60 s; what is not done then is counted, not waited for.
  const drained = await Promise.race([
    Promise.all(running).then(() => true),
    new Promise<false>((resolve) => {
      setTimeout(() => {
        resolve(false);
      }, 60_000).unref();
    }),
  ]);
  if (!drained) {
    stats.abandoned = running.size;
    fail('drain', `${running.size} operations still running 60 s after the end`);
  }
  // Deliveries for the last events: a moment for them to arrive before the count is final.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  return snapshot();
}
