import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import type { OutboxRow, TenantRow, TenantStatus } from '@hellojohn/dal';
import { createInProcessBus, parseEvent, type EventEnvelope } from '@hellojohn/events';
import { createLogger, createMetrics } from '@hellojohn/http';
import { createPasswordHasher } from '@hellojohn/tokens';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createDeps, type Deps, type DepsOptions } from '../../src/deps';

export const OWNER = { email: 'owner@example.com', password: 'owner-password-123' };

export interface CpAppOptions {
  /** Extra environment for `loadConfig` (e.g. `HJ_RABBITMQ_URL` for a real broker). */
  env?: Record<string, string>;
  /**
   * Stops the outbox relay after start-up, so tests read the outbox deterministically
   * ({@link CpApp.pendingOutbox}) and publish it themselves ({@link CpApp.takeEvents}).
   */
  manualRelay?: boolean;
  /** Admin sign-in limit overrides for `createDeps` (e.g. a short delay cap). */
  adminSignIn?: DepsOptions['adminSignIn'];
}

export interface CpApp {
  app: Express;
  deps: Deps;
  /** Every event the control plane published, in order (in-process bus only). */
  events: EventEnvelope[];
  /** A token for `credentials` (the bootstrap owner by default), signed in over HTTP once. */
  token(credentials?: { email: string; password: string }): Promise<string>;
  /** Creates a viewer admin directly in the database and returns a token for it. */
  viewerToken(): Promise<string>;
  /** Inserts a tenant row directly, so tests do not depend on provisioning. */
  createTenant(slug?: string, status?: TenantStatus): Promise<TenantRow>;
  /** Unsent outbox rows, in order, without publishing them. */
  pendingOutbox(): Promise<OutboxRow[]>;
  /** Publishes what the outbox holds and returns those events (with `manualRelay`). */
  takeEvents(): Promise<EventEnvelope[]>;
  /** Waits until the relay has published everything in the outbox. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The control plane alone, over `createApp(deps)` (no listening socket), on SQLite in a temp dir
 * by default or on `databaseUrl`, with an in-process bus whose every event the test can read.
 */
export async function startCpApp(databaseUrl?: string, options: CpAppOptions = {}): Promise<CpApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-cp-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: databaseUrl ?? `sqlite:${join(dataDir, 'cp.db')}`,
    HJ_ADMIN_EMAIL: OWNER.email,
    HJ_ADMIN_PASSWORD: OWNER.password,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    HJ_PUBLIC_URL: 'https://id.example.com',
    ...options.env,
  });
  const logger = createLogger({ name: 'cp-test', level: 'silent' });
  // With HJ_RABBITMQ_URL the control plane makes its own RabbitMQ bus, as deployed.
  const bus = config.rabbitmqUrl ? undefined : createInProcessBus({ logger });
  const events: EventEnvelope[] = [];
  await bus?.subscribe(
    { name: 'test-observer', mode: 'exclusive', routingKeys: ['#'] },
    async (event) => {
      events.push(event);
    },
  );
  const deps = await createDeps(config, logger, { bus, adminSignIn: options.adminSignIn });
  await deps.modules.admins.service.bootstrap(config.adminEmail, config.adminPassword);
  if (options.manualRelay) await deps.relay.stop();
  const app = createApp(deps, createMetrics('control_plane_test'));
  const hasher = createPasswordHasher(4);
  const tokens = new Map<string, string>();

  async function token(credentials = OWNER): Promise<string> {
    const cached = tokens.get(credentials.email);
    if (cached) return cached;
    const res = await request(app).post('/v1/auth/sign-in').send(credentials).expect(200);
    const issued = (res.body as { access_token: string }).access_token;
    tokens.set(credentials.email, issued);
    return issued;
  }

  async function pendingOutbox(): Promise<OutboxRow[]> {
    let pending: OutboxRow[] = [];
    // Returning no ids marks nothing sent: a read-only peek under the relay's own lock.
    await deps.db.outbox.withLockedBatch(1000, async (rows) => {
      pending = [...rows].sort((a, b) => a.seq - b.seq);
      return [];
    });
    return pending;
  }

  return {
    app,
    deps,
    events,
    token,
    async viewerToken() {
      const credentials = {
        email: `viewer-${randomUUID()}@example.com`,
        password: 'viewer-pw-123',
      };
      await deps.db.admins.create({
        id: randomUUID(),
        email: credentials.email,
        passwordHash: await hasher.hash(credentials.password),
        role: 'viewer',
      });
      return token(credentials);
    },
    async createTenant(slug = `t-${randomUUID().slice(0, 8)}`, status = 'active') {
      return deps.db.tenants.create({
        id: randomUUID(),
        slug,
        name: `Tenant ${slug}`,
        status,
        databaseMode: 'managed',
      });
    },
    pendingOutbox,
    async takeEvents() {
      const rows = await pendingOutbox();
      const published = await deps.relay.flush();
      if (published !== rows.length) {
        throw new Error(`published ${published} of ${rows.length} outbox rows`);
      }
      return rows.map((row) => parseEvent(row.payload));
    },
    async flush() {
      await deps.relay.flush();
      // In-process delivery is asynchronous: let the observer run.
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      await deps.close();
      await bus?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
