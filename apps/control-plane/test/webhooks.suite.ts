import { randomUUID } from 'node:crypto';
import type { TenantRow } from '@hellojohn/dal';
import { createEvent, type EventEnvelope } from '@hellojohn/events';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';
import { startReceiver, verifyIndependently, type Receiver } from './webhooks.receiver';

interface WebhookBody {
  id: string;
  url: string;
  event_types: string[];
  enabled: boolean;
  description: string | null;
  failing_since: string | null;
  previous_secret_expires_at: string | null;
  secret?: string;
}

interface DeliveryBody {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  response_status: number | null;
  duration_ms: number | null;
  error: string | null;
  next_attempt_at: string | null;
}

interface ProblemBody {
  code: string;
  errors?: { path: string; message: string }[];
}

/** Where one suite's control plane keeps its data and events; `cleanup` removes them. */
export type WebhookSetup = () => Promise<{
  databaseUrl?: string;
  rabbitmqUrl?: string;
  cleanup: () => Promise<void>;
}>;

/** Short retries, set by configuration as an operator would. */
const SCHEDULE = '0.05,0.05,0.05';

function userCreated(tenantId: string, id?: string): EventEnvelope {
  const userId = randomUUID();
  return createEvent(
    'user.created',
    tenantId,
    { user_id: userId, email: `${userId}@example.com`, email_verified: false, name: null },
    id === undefined ? {} : { id },
  );
}

/** Webhook configuration, signed delivery, retries and the delivery log against one engine. */
export function webhooksSuite(engine: string, setup: WebhookSetup): void {
  describe(`webhooks (${engine})`, () => {
    let cp: CpApp;
    let cleanup: () => Promise<void>;
    let receiver: Receiver;
    let tenant: TenantRow;
    let ownerToken: string;
    let viewerToken: string;

    const base = (ref = tenant.slug): string => `/v1/tenants/${ref}/webhooks`;
    const as = (token: string) => ({
      get: (path: string) => request(cp.app).get(path).set('Authorization', `Bearer ${token}`),
      post: (path: string) => request(cp.app).post(path).set('Authorization', `Bearer ${token}`),
      patch: (path: string) => request(cp.app).patch(path).set('Authorization', `Bearer ${token}`),
      delete: (path: string) =>
        request(cp.app).delete(path).set('Authorization', `Bearer ${token}`),
    });
    const owner = () => as(ownerToken);

    /** A webhook posting to its own receiver path, so tests never see each other's requests. */
    async function createHook(
      extra: object = {},
      ref = tenant.slug,
    ): Promise<WebhookBody & { secret: string; path: string }> {
      const path = `/hook/${randomUUID()}`;
      const res = await owner()
        .post(base(ref))
        .send({ url: receiver.url(path), event_types: ['user.*'], ...extra })
        .expect(201);
      return { ...(res.body as WebhookBody & { secret: string }), path };
    }
    const requestsTo = (path: string) => receiver.received.filter((r) => r.path === path);
    async function deliveries(hook: { id: string }, ref = tenant.slug): Promise<DeliveryBody[]> {
      const res = await owner()
        .get(`${base(ref)}/${hook.id}/deliveries`)
        .expect(200);
      return (res.body as { data: DeliveryBody[] }).data;
    }

    beforeAll(async () => {
      const services = await setup();
      cleanup = services.cleanup;
      receiver = await startReceiver();
      cp = await startCpApp(services.databaseUrl, {
        env: {
          HJ_WEBHOOK_RETRY_SCHEDULE: SCHEDULE,
          ...(services.rabbitmqUrl ? { HJ_RABBITMQ_URL: services.rabbitmqUrl } : {}),
        },
      });
      ownerToken = await cp.token();
      viewerToken = await cp.viewerToken();
      tenant = await cp.createTenant();
    });
    afterAll(async () => {
      await cp.close();
      await receiver.close();
      await cleanup();
    });
    beforeEach(() => {
      receiver.answer = () => 204;
    });

    it('creates a webhook, shows its whsec_ secret once, and lets viewers read it', async () => {
      const hook = await createHook({ description: 'CRM sync' });
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(hook).toMatchObject({
        event_types: ['user.*'],
        enabled: true,
        description: 'CRM sync',
        failing_since: null,
      });
      const fetched = await as(viewerToken).get(`${base()}/${hook.id}`).expect(200);
      expect(fetched.body).not.toHaveProperty('secret');
      expect(JSON.stringify(fetched.body)).not.toContain(hook.secret);
      const list = await as(viewerToken).get(base()).expect(200);
      expect((list.body as { data: WebhookBody[] }).data.map((w) => w.id)).toContain(hook.id);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
    });

    it('lets only admins and owners write, and audits writes', async () => {
      const res = await as(viewerToken)
        .post(base())
        .send({ url: receiver.url('/x'), event_types: ['*'] })
        .expect(403);
      expect((res.body as ProblemBody).code).toBe('insufficient_role');
      const hook = await createHook();
      await eventually(async () => {
        const audit = await cp.deps.db.auditLog.list({ limit: 50, action: 'webhook.created' });
        expect(audit.rows.some((row) => row.outcome === 'success')).toBe(true);
        expect(JSON.stringify(audit.rows)).not.toContain(hook.secret);
      });
    });

    it('changes and deletes a webhook', async () => {
      const hook = await createHook();
      const patched = await owner()
        .patch(`${base()}/${hook.id}`)
        .send({ event_types: ['user.created', 'organization.*'], enabled: false })
        .expect(200);
      expect(patched.body).toMatchObject({
        event_types: ['user.created', 'organization.*'],
        enabled: false,
      });
      await owner().delete(`${base()}/${hook.id}`).expect(204);
      const gone = await owner().get(`${base()}/${hook.id}`).expect(404);
      expect((gone.body as ProblemBody).code).toBe('webhook_not_found');
    });

    it.each([
      ['plain http to a public host', { url: 'http://example.com/hook' }, 'body.url'],
      ['a URL with credentials', { url: 'https://u:p@example.com/hook' }, 'body.url'],
      ['not a URL', { url: 'hook' }, 'body.url'],
      ['an unknown event type', { event_types: ['user.exploded'] }, 'body.event_types.0'],
      ['an unknown wildcard', { event_types: ['tenant.*'] }, 'body.event_types.0'],
      ['no event types', { event_types: [] }, 'body.event_types'],
      ['a repeated event type', { event_types: ['*', '*'] }, 'body.event_types.1'],
      ['an unknown field', { secret: 'whsec_mine' }, 'body.secret'],
    ])('refuses %s with a 400 naming the field', async (_name, extra, path) => {
      const res = await owner()
        .post(base())
        .send({ url: 'https://example.com/hook', event_types: ['*'], ...extra })
        .expect(400);
      const body = res.body as ProblemBody;
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((e) => e.path)).toContain(path);
    });

    it('delivers a matching event signed per Standard Webhooks, and logs it', async () => {
      const hook = await createHook({ event_types: ['user.created'] });
      const other = await createHook({ event_types: ['organization.*'] });
      const event = userCreated(tenant.id);
      await cp.deps.bus.publish(event);
      await eventually(async () => {
        expect(requestsTo(hook.path)).toHaveLength(1);
      });
      const [got] = requestsTo(hook.path);
      if (!got) throw new Error('no request');
      expect(verifyIndependently(hook.secret, got)).toEqual({
        type: 'user.created',
        timestamp: event.occurred_at,
        data: event.data,
      });
      expect(got.headers['content-type']).toBe('application/json');
      await eventually(async () => {
        const [logged] = await deliveries(hook);
        expect(logged).toMatchObject({
          id: got.headers['webhook-id'],
          event_id: event.id,
          event_type: 'user.created',
          status: 'delivered',
          attempts: 1,
          response_status: 204,
          error: null,
          next_attempt_at: null,
        });
        expect(typeof logged?.duration_ms).toBe('number');
      });
      expect(requestsTo(other.path)).toHaveLength(0);
      expect(await deliveries(other)).toEqual([]);
    });

    it('retries a failing receiver with the same webhook-id until it succeeds', async () => {
      const hook = await createHook();
      let failures = 2;
      receiver.answer = (r) => (r.path === hook.path && failures-- > 0 ? 500 : 200);
      await cp.deps.bus.publish(userCreated(tenant.id));
      await eventually(async () => {
        const [logged] = await deliveries(hook);
        expect(logged).toMatchObject({ status: 'delivered', attempts: 3, response_status: 200 });
      });
      const attempts = requestsTo(hook.path);
      expect(attempts).toHaveLength(3);
      expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
      for (const attempt of attempts)
        expect(verifyIndependently(hook.secret, attempt)).toBeTruthy();
    });

    it('gives up after the schedule, marks the webhook failing and audits it; a manual retry delivers', async () => {
      const hook = await createHook();
      receiver.answer = (r) => (r.path === hook.path ? 503 : 204);
      await cp.deps.bus.publish(userCreated(tenant.id));
      await eventually(async () => {
        const [logged] = await deliveries(hook);
        expect(logged).toMatchObject({ status: 'failed', attempts: 4, response_status: 503 });
        expect(logged?.error).toBe('HTTP 503');
      });
      const failing = await owner().get(`${base()}/${hook.id}`).expect(200);
      expect((failing.body as WebhookBody).failing_since).not.toBeNull();
      const audit = await cp.deps.db.auditLog.list({
        limit: 10,
        action: 'webhook.failing',
        target: hook.id,
      });
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]?.details).toMatchObject({ tenant_id: tenant.id, attempts: 4 });

      receiver.answer = () => 200;
      const [failed] = await deliveries(hook);
      if (!failed) throw new Error('no delivery');
      const retried = await owner()
        .post(`${base()}/${hook.id}/deliveries/${failed.id}/retry`)
        .expect(202);
      expect((retried.body as DeliveryBody).id).toBe(failed.id);
      await eventually(async () => {
        const [logged] = await deliveries(hook);
        expect(logged).toMatchObject({ status: 'delivered', attempts: 5, response_status: 200 });
      });
      const ids = new Set(requestsTo(hook.path).map((r) => r.headers['webhook-id']));
      expect([...ids]).toEqual([failed.id]);
      const healthy = await owner().get(`${base()}/${hook.id}`).expect(200);
      expect((healthy.body as WebhookBody).failing_since).toBeNull();

      const missing = await owner()
        .post(`${base()}/${hook.id}/deliveries/${randomUUID()}/retry`)
        .expect(404);
      expect((missing.body as ProblemBody).code).toBe('webhook_delivery_not_found');
    });

    it('writes one delivery for an event the bus delivers twice', async () => {
      const hook = await createHook();
      const event = userCreated(tenant.id);
      await cp.deps.bus.publish(event);
      await cp.deps.bus.publish(event);
      // An event published after both copies; once it is delivered the copies were handled.
      const marker = userCreated(tenant.id);
      await cp.deps.bus.publish(marker);
      await eventually(async () => {
        const logged = await deliveries(hook);
        expect(logged.map((d) => d.event_id).sort()).toEqual([event.id, marker.id].sort());
        expect(logged.every((d) => d.status === 'delivered')).toBe(true);
      });
      await cp.deps.bus.publish(event);
      const late = userCreated(tenant.id);
      await cp.deps.bus.publish(late);
      await eventually(async () => {
        expect((await deliveries(hook)).map((d) => d.event_id)).toContain(late.id);
      });
      const logged = await deliveries(hook);
      expect(logged.filter((d) => d.event_id === event.id)).toHaveLength(1);
      const bodies = requestsTo(hook.path).map((r) => JSON.parse(r.body) as { data: unknown });
      expect(
        bodies.filter((b) => JSON.stringify(b.data) === JSON.stringify(event.data)),
      ).toHaveLength(1);
    });

    it('signs with both secrets during a rotation overlap, then with the new one alone', async () => {
      const hook = await createHook();
      const rotated = await owner()
        .post(`${base()}/${hook.id}/secret/rotate`)
        .send({ overlap_seconds: 3600 })
        .expect(200);
      const fresh = (rotated.body as WebhookBody & { secret: string }).secret;
      expect(fresh).toMatch(/^whsec_/);
      expect(fresh).not.toBe(hook.secret);
      expect((rotated.body as WebhookBody).previous_secret_expires_at).not.toBeNull();
      await cp.deps.bus.publish(userCreated(tenant.id));
      await eventually(async () => {
        expect(requestsTo(hook.path)).toHaveLength(1);
      });
      const [overlapped] = requestsTo(hook.path);
      if (!overlapped) throw new Error('no request');
      expect(String(overlapped.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verifyIndependently(fresh, overlapped)).toBeTruthy();
      expect(verifyIndependently(hook.secret, overlapped)).toBeTruthy();

      const cut = await owner()
        .post(`${base()}/${hook.id}/secret/rotate`)
        .send({ overlap_seconds: 0 })
        .expect(200);
      const newest = (cut.body as { secret: string }).secret;
      await cp.deps.bus.publish(userCreated(tenant.id));
      await eventually(async () => {
        expect(requestsTo(hook.path)).toHaveLength(2);
      });
      const single = requestsTo(hook.path)[1];
      if (!single) throw new Error('no request');
      expect(String(single.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verifyIndependently(newest, single)).toBeTruthy();
      expect(() => verifyIndependently(fresh, single)).toThrow();

      const bad = await owner()
        .post(`${base()}/${hook.id}/secret/rotate`)
        .send({ overlap_seconds: -1 })
        .expect(400);
      expect((bad.body as ProblemBody).errors?.map((e) => e.path)).toContain(
        'body.overlap_seconds',
      );
    });

    it('delivers 100 events across 10 tenants, each once and verifiable', async () => {
      const tenants = await Promise.all(Array.from({ length: 10 }, () => cp.createTenant()));
      const hooks = await Promise.all(
        tenants.map((t) => createHook({ event_types: ['*'] }, t.slug)),
      );
      const events = tenants.flatMap((t) => Array.from({ length: 10 }, () => userCreated(t.id)));
      await Promise.all(events.map((event) => cp.deps.bus.publish(event)));
      await eventually(async () => {
        const total = hooks.reduce((sum, hook) => sum + requestsTo(hook.path).length, 0);
        expect(total).toBe(100);
      }, 30_000);
      hooks.forEach((hook) => {
        const got = requestsTo(hook.path);
        expect(got).toHaveLength(10);
        expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(10);
        for (const r of got) expect(verifyIndependently(hook.secret, r)).toBeTruthy();
      });
    });
  });
}
