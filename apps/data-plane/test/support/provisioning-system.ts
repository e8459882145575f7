import { randomBytes, randomUUID } from 'node:crypto';
import { createTenantPools, dropManagedDatabase, type TenantPools } from '@hellojohn/dal';
import {
  createEvent,
  createInProcessBus,
  type EventEnvelope,
  type InProcessBus,
  type Subscription,
} from '@hellojohn/events';
import { createLogger } from '@hellojohn/http';
import { consumeProvisioning } from '../../src/features/provisioning/provisioning.consumer';
import {
  createProvisioningService,
  type ProvisioningService,
} from '../../src/features/provisioning/provisioning.service';
import { createKeyring, type Keyring } from '../../src/keys/keyring';
import { createKeyRotationSweep, type KeyRotationSweep } from '../../src/keys/rotation-sweep';
import type { ControlPlaneClient } from '../../src/tenancy/control-plane-client';
import type { TenantConfig } from '../../src/tenancy/tenant-config';
import type { TenantDirectory } from '../../src/tenancy/tenant-directory';

/** A clock tests move by hand. */
export interface TestClock {
  now: () => Date;
  advance: (seconds: number) => void;
}

function createTestClock(start = new Date()): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(seconds) {
      t += seconds * 1000;
    },
  };
}

/** The control plane, as the data plane sees it: tenants by id or slug. */
export interface FakeControlPlane extends ControlPlaneClient {
  tenants: Map<string, TenantConfig>;
  add(tenant: TenantConfig): void;
  remove(id: string): void;
}

function createFakeControlPlane(): FakeControlPlane {
  const tenants = new Map<string, TenantConfig>();
  return {
    tenants,
    add(tenant) {
      tenants.set(tenant.id, tenant);
    },
    remove(id) {
      tenants.delete(id);
    },
    async getTenant(ref) {
      return tenants.get(ref) ?? [...tenants.values()].find((t) => t.slug === ref);
    },
    async listTenants() {
      return { data: [...tenants.values()], next_cursor: null };
    },
    // Provisioning never reads OAuth clients.
    async getClient() {
      return undefined;
    },
    async listClients() {
      return undefined;
    },
    async listResources() {
      return undefined;
    },
  };
}

/** A directory that always asks the fake control plane (no caching to reason about in tests). */
function directoryOver(cp: FakeControlPlane): TenantDirectory {
  return {
    resolve: (ref) => cp.getTenant(ref),
    invalidate: () => undefined,
    clear: () => undefined,
    status: () => ({ reachable: true, lastSuccessAt: new Date(), lastError: undefined }),
  };
}

export interface ProvisioningSystem {
  serverUrl: string;
  bus: InProcessBus;
  cp: FakeControlPlane;
  pools: TenantPools;
  keyring: Keyring;
  /** The master key the keyring seals with (another keyring on it acts as another replica). */
  masterKey: Buffer;
  clock: TestClock;
  provisioning: ProvisioningService;
  sweep: KeyRotationSweep;
  /** Answers the data plane published (tenant.provisioned, ...), in order. */
  answers: EventEnvelope[];
  /** Registers a tenant with the fake control plane and returns its tenant.created event. */
  newTenant(
    database?: TenantConfig['database'],
    settings?: Record<string, unknown>,
  ): { tenant: TenantConfig; event: EventEnvelope<'tenant.created'> };
  /** Resolves once `n` answers of `type` exist for the tenant (fails after 30 s). */
  waitForAnswers(tenantId: string, type: string, n?: number): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/**
 * The provisioning consumer over an in-process bus, against a real tenant database server
 * (`serverUrl`), with a fake control plane and a hand-driven clock. Drops every managed database
 * it provisioned on close.
 */
export async function startProvisioningSystem(serverUrl: string): Promise<ProvisioningSystem> {
  const logger = createLogger({ name: 'provisioning-test', level: 'silent' });
  const bus = createInProcessBus({ logger });
  const cp = createFakeControlPlane();
  const clock = createTestClock();
  const pools = createTenantPools({
    serverUrl,
    maxOpen: 20,
    idleMs: 60_000,
    acquireTimeoutMs: 2_000,
  });
  const masterKey = Buffer.alloc(32, 7);
  const keyring = createKeyring({ masterKey, now: clock.now });
  const defaults = { accessTokenTtlSeconds: 900, bcryptCost: 4 };
  const provisioning = createProvisioningService({
    serverUrl,
    pools,
    directory: directoryOver(cp),
    keyring,
    bus,
    logger,
    defaults,
  });
  const sweep = createKeyRotationSweep({
    client: cp,
    pools,
    keyring,
    serverUrl,
    logger,
    defaults,
    now: clock.now,
  });
  const answers: EventEnvelope[] = [];
  const subscriptions: Subscription[] = [
    await consumeProvisioning({ bus, provisioning, logger, maxAttempts: 3, retryDelayMs: 5 }),
    await bus.subscribe(
      {
        name: 'answers',
        mode: 'exclusive',
        routingKeys: ['tenant.provisioned', 'tenant.provisioning_failed', 'tenant.deprovisioned'],
      },
      async (event) => {
        answers.push(event);
      },
    ),
  ];
  const made = new Set<string>();

  return {
    serverUrl,
    bus,
    cp,
    pools,
    keyring,
    masterKey,
    clock,
    provisioning,
    sweep,
    answers,
    newTenant(database = { mode: 'managed' }, settings = {}) {
      const id = randomUUID();
      const slug = `t-${randomBytes(5).toString('hex')}`;
      const tenant: TenantConfig = {
        id,
        slug,
        name: `Tenant ${slug}`,
        status: 'provisioning',
        issuer: `https://id.example.com/t/${slug}`,
        settings,
        database,
      };
      cp.add(tenant);
      if (database.mode === 'managed') made.add(id);
      const event = createEvent('tenant.created', id, {
        slug,
        name: tenant.name,
        issuer: tenant.issuer,
        database:
          database.mode === 'managed'
            ? { mode: 'managed' }
            : { mode: 'external', driver: database.driver === 'mysql' ? 'mysql' : 'pg' },
        settings,
      });
      return { tenant, event };
    },
    async waitForAnswers(tenantId, type, n = 1) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = answers.filter((a) => a.tenant_id === tenantId && a.type === type);
        if (found.length >= n) return found;
        if (Date.now() > deadline) {
          throw new Error(`no ${n}x ${type} for ${tenantId}; got ${JSON.stringify(answers)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      for (const subscription of subscriptions) await subscription.close();
      await bus.close();
      await pools.closeAll();
      for (const id of made) await dropManagedDatabase(serverUrl, id);
    },
  };
}
