import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import type { OutboxRow, TenantRow, TenantStatus } from '@hellojohn/dal';
import {
  createInProcessBus,
  parseEvent,
  type EventEnvelope,
  type InProcessBus,
} from '@hellojohn/events';
import { createLogger, createMetrics } from '@hellojohn/http';
import { createPasswordHasher } from '@hellojohn/tokens';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { Deps } from '../../src/deps';
import { startControlPlane, type RunningControlPlane } from '../../src/server';
import type { ClientService } from '../../src/features/clients';

export const OWNER = { email: 'owner@example.com', password: 'correct-horse-battery-staple' };

export interface ControlPlaneHarness {
  cp: RunningControlPlane;
  deps: Deps;
  /** The control plane's own app. */
  app: Express;
  clients: ClientService;
  bus: InProcessBus;
  internalToken: string;
  ownerToken: string;
  /** Creates a viewer admin and returns a token for it. */
  viewerToken(): Promise<string>;
  /** Inserts a tenant row directly, so tests do not depend on provisioning. */
  createTenant(slug?: string, status?: TenantStatus): Promise<TenantRow>;
  /** Unsent outbox rows, in order, without publishing them. */
  pendingOutbox(): Promise<OutboxRow[]>;
  /** Publishes what the outbox holds and returns those events (the relay is otherwise idle). */
  takeEvents(): Promise<EventEnvelope[]>;
  /** Events the in-process bus delivered to a `client.*` subscriber so far. */
  delivered: EventEnvelope[];
  close(): Promise<void>;
}

/**
 * Starts the control plane alone (port 0, in-process bus) on `databaseUrl`, or on a SQLite file
 * in a temp dir. The outbox relay is stopped so tests read the outbox deterministically and
 * publish it with {@link ControlPlaneHarness.takeEvents}.
 */
export async function startControlPlaneHarness(
  options: { databaseUrl?: string } = {},
): Promise<ControlPlaneHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-cp-test-'));
  const internalToken = randomBytes(32).toString('base64url');
  const config = loadConfig({
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dataDir, 'control-plane.db')}`,
    HJ_TENANT_DATABASE_URL: `sqlite:${join(dataDir, 'tenants')}`,
    HJ_HOST: '127.0.0.1',
    HJ_INTERNAL_TOKEN: internalToken,
    HJ_ADMIN_EMAIL: OWNER.email,
    HJ_ADMIN_PASSWORD: OWNER.password,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ name: 'cp-test', level: config.logLevel });
  const bus = createInProcessBus({ logger });
  const cp = await startControlPlane(config, logger, { bus, port: 0 });
  const { deps } = cp;
  await deps.relay.stop();

  const delivered: EventEnvelope[] = [];
  const subscription = await bus.subscribe(
    { name: 'clients-test', routingKeys: ['client.*'], mode: 'exclusive' },
    async (event) => {
      delivered.push(event);
    },
  );
  const clients = deps.modules.clients.service;
  const app = createApp(deps, createMetrics('control_plane'));
  const hasher = createPasswordHasher(4);

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
    cp,
    deps,
    app,
    clients,
    bus,
    internalToken,
    ownerToken: (await deps.modules.auth.service.signIn(OWNER.email, OWNER.password)).token,
    delivered,
    async viewerToken() {
      const email = `viewer-${randomUUID()}@example.com`;
      const password = 'viewer-password-123';
      await deps.db.admins.create({
        id: randomUUID(),
        email,
        passwordHash: await hasher.hash(password),
        role: 'viewer',
      });
      return (await deps.modules.auth.service.signIn(email, password)).token;
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
    async close() {
      await subscription.close();
      await cp.close();
      await bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
