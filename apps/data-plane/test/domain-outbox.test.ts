import { randomBytes } from 'node:crypto';
import { createTenantPools, type TenantDb, type TenantPools } from '@hellojohn/dal';
import {
  createInProcessBus,
  type EventBus,
  type EventEnvelope,
  type InProcessBus,
} from '@hellojohn/events';
import { createLogger } from '@hellojohn/http';
import { eventually } from '@hellojohn/testing';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createOutboxModule, recordDomainEvent, type OutboxModule } from '../src/outbox';
import { captureEvents } from './support/capture-events';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

const PASSWORD = 'analytical engine notes 1843';
const silent = createLogger({ name: 'outbox-test', level: 'silent' });

/** Every domain event the system's bus carries, in arrival order. */
const captureDomainEvents = (bus: EventBus): Promise<EventEnvelope[]> =>
  captureEvents(bus, ['user.#', 'session.#', 'mfa.#', 'organization.#', 'membership.#']);

/** A bus in front of `inner` whose publish fails while `down.value` is true. */
function flakyBus(inner: EventBus, down: { value: boolean }): EventBus {
  return {
    publish: (event) =>
      down.value ? Promise.reject(new Error('broker unreachable')) : inner.publish(event),
    subscribe: (spec, handler) => inner.subscribe(spec, handler),
    isConnected: () => !down.value,
    close: () => inner.close(),
  };
}

async function metricValue(registry: Registry, name: string, labels = ''): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('domain events through the tenant outbox (SQLite, in-process bus)', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let events: EventEnvelope[];

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('outbox');
    events = await captureDomainEvents(system.dp.deps.bus);
  }, 60_000);
  afterAll(async () => {
    await system.close();
  });

  const dpRequest = () => request(system.dp.url);
  const ofType = (type: string, userId: string) =>
    events.filter((e) => e.type === type && (e.data as { user_id?: string }).user_id === userId);

  it('a sign-up emits user.created and user.signed_in, marked sent once published', async () => {
    const email = `ada-${randomBytes(3).toString('hex')}@example.com`;
    const res = await dpRequest()
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email, password: PASSWORD, name: 'Ada' })
      .expect(201);
    const userId = (res.body as { user: { id: string } }).user.id;
    await eventually(() => {
      expect(ofType('user.created', userId)).toHaveLength(1);
      expect(ofType('user.signed_in', userId)).toHaveLength(1);
      return Promise.resolve();
    });
    const created = ofType('user.created', userId)[0];
    expect(created).toMatchObject({
      tenant_id: tenant.id,
      data: { user_id: userId, email, email_verified: false, name: 'Ada' },
    });
    expect(ofType('user.signed_in', userId)[0]?.data).toMatchObject({ method: 'password' });
    const db = system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
    await eventually(async () => {
      expect(await db.domainEvents.countUnsent()).toBe(0);
    });
  });

  it('a password change emits user.password_changed with no secret in it', async () => {
    const email = `grace-${randomBytes(3).toString('hex')}@example.com`;
    const res = await dpRequest()
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email, password: PASSWORD })
      .expect(201);
    const { user, access_token: token } = res.body as {
      user: { id: string };
      access_token: string;
    };
    const newPassword = 'difference engine drawings 1822';
    await dpRequest()
      .post('/v1/me/password')
      .set('X-Tenant-ID', tenant.slug)
      .set('Authorization', `Bearer ${token}`)
      .send({ current_password: PASSWORD, new_password: newPassword })
      .expect(204);
    await eventually(() => {
      expect(ofType('user.password_changed', user.id)).toHaveLength(1);
      return Promise.resolve();
    });
    const everything = JSON.stringify(events);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(newPassword);
    expect(everything).not.toMatch(/\$2[aby]\$/); // no bcrypt hash
    expect(everything).not.toContain(token);
  });

  it('an organization brings organization.created and the owner membership.created', async () => {
    const res = await dpRequest()
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email: `org-${randomBytes(3).toString('hex')}@example.com`, password: PASSWORD })
      .expect(201);
    const { user, access_token: token } = res.body as {
      user: { id: string };
      access_token: string;
    };
    const slug = `org-${randomBytes(3).toString('hex')}`;
    const org = await dpRequest()
      .post('/v1/organizations')
      .set('X-Tenant-ID', tenant.slug)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Analytical', slug })
      .expect(201);
    const orgId = (org.body as { id: string }).id;
    await eventually(() => {
      expect(events.filter((e) => e.type === 'organization.created')).toContainEqual(
        expect.objectContaining({ data: { organization_id: orgId, slug, name: 'Analytical' } }),
      );
      expect(ofType('membership.created', user.id)).toEqual([
        expect.objectContaining({
          data: { organization_id: orgId, user_id: user.id, role: 'owner' },
        }),
      ]);
      return Promise.resolve();
    });
  });

  describe('the relay on its own', () => {
    // Pools without hooks: rows written here wake nothing, so only the test's relay sees them.
    let pools: TenantPools;
    let db: TenantDb;
    let inner: InProcessBus;
    let seen: EventEnvelope[];
    const down = { value: false };
    let registry: Registry;
    let outbox: OutboxModule;

    beforeAll(async () => {
      pools = createTenantPools({ serverUrl: system.tenantServerUrl, maxOpen: 4, idleMs: 60_000 });
      db = pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
      // What the system's relay may have left in flight is drained first.
      await eventually(async () => {
        expect(await db.domainEvents.countUnsent()).toBe(0);
      });
      inner = createInProcessBus();
      seen = await captureDomainEvents(inner);
      registry = new Registry();
      outbox = createOutboxModule({
        config: { redisUrl: undefined, outboxSweepSeconds: 3600, outboxFullSweepSeconds: 3600 },
        bus: flakyBus(inner, down),
        logger: silent,
        registry,
        tenantDb: (id) => Promise.resolve(id === tenant.id ? db : undefined),
        forEachActiveTenant: () => Promise.resolve(),
      });
      outbox.start();
    });
    afterAll(async () => {
      await outbox.stop();
      await inner.close();
      await pools.closeAll();
    });

    it('writes nothing when the change rolls back', async () => {
      const before = await db.domainEvents.countUnsent();
      await expect(
        db.transaction(async (tx) => {
          await recordDomainEvent(tx, 'user.deleted', { user_id: 'rolled-back' });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await db.domainEvents.countUnsent()).toBe(before);
    });

    it('refuses data that breaks the contract, and the change with it', async () => {
      await expect(
        db.transaction(async (tx) => {
          // @ts-expect-error -- a field the contract does not have, as a careless caller might pass
          await recordDomainEvent(tx, 'user.deleted', { user_id: 'u', password_hash: 'x' });
          await recordDomainEvent(tx, 'user.signed_in', {
            user_id: 'u',
            session_id: '',
            method: 'password',
          });
        }),
      ).rejects.toThrow();
      expect(await db.domainEvents.countUnsent()).toBe(0);
    });

    it('keeps events unsent while the broker fails, then publishes each exactly once', async () => {
      for (let i = 0; i < 5; i += 1) {
        await recordDomainEvent(db, 'user.updated', { user_id: `u${i}`, fields: ['name'] });
      }
      down.value = true;
      expect(await outbox.drain(tenant.id, 'commit')).toEqual({ status: 'failed', sent: 0 });
      expect(await db.domainEvents.countUnsent()).toBe(5);
      expect(await outbox.coordination.listWaiting(10)).toEqual([tenant.id]);
      expect(await metricValue(registry, 'outbox_backlog')).toBe(5);
      expect(seen).toHaveLength(0);

      down.value = false;
      await outbox.scheduler.sweepWaiting();
      await outbox.scheduler.idle();
      expect(await db.domainEvents.countUnsent()).toBe(0);
      // In `seq` order (the in-process bus hands events to subscribers on a later tick).
      await eventually(() => {
        expect(seen.map((e) => (e.data as { user_id: string }).user_id)).toEqual([
          'u0',
          'u1',
          'u2',
          'u3',
          'u4',
        ]);
        return Promise.resolve();
      });
      expect(new Set(seen.map((e) => e.id)).size).toBe(5);
      expect(await outbox.coordination.listWaiting(10)).toEqual([]);
      expect(await metricValue(registry, 'outbox_relayed_total')).toBe(5);
      expect(await metricValue(registry, 'outbox_backlog')).toBe(0);
      expect(await metricValue(registry, 'outbox_publish_failures_total')).toBe(1);
    });

    it('leaves a tenant whose lease another relay holds to that relay', async () => {
      await recordDomainEvent(db, 'user.deleted', { user_id: 'leased' });
      const lease = await outbox.coordination.acquire(tenant.id, 60_000);
      expect(lease).toBeDefined();
      expect(await outbox.drain(tenant.id, 'commit')).toEqual({ status: 'busy' });
      expect(await db.domainEvents.countUnsent()).toBe(1);
      await lease?.release();
      expect(await outbox.drain(tenant.id, 'sweep')).toEqual({ status: 'drained', sent: 1 });
      await eventually(() => {
        expect(seen.filter((e) => e.type === 'user.deleted')).toHaveLength(1);
        return Promise.resolve();
      });
    });

    it('sweeps only the tenants marked waiting, never every tenant', async () => {
      const drains = () => metricValue(registry, 'outbox_tenant_drains_total', '{trigger="sweep"}');
      const before = await drains();
      await outbox.scheduler.sweepWaiting();
      await outbox.scheduler.idle();
      expect(await drains()).toBe(before);
      // The one pass at start-up (in memory, the waiting set does not survive a restart).
      expect(await metricValue(registry, 'outbox_full_sweeps_total')).toBe(1);
    });
  });
});
