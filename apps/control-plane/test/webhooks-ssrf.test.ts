import { randomUUID } from 'node:crypto';
import type { TenantRow } from '@hellojohn/dal';
import { createEvent } from '@hellojohn/events';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';
import { startReceiver, type Receiver } from './webhooks.receiver';

interface ProblemBody {
  code: string;
  errors?: { path: string; message: string }[];
}

/** With private targets refused (production's default), no webhook reaches an internal host. */
describe('webhooks: private targets refused (HJ_WEBHOOK_ALLOW_PRIVATE=false)', () => {
  let cp: CpApp;
  let receiver: Receiver;
  let tenant: TenantRow;
  let token: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    cp = await startCpApp(undefined, {
      env: { HJ_WEBHOOK_ALLOW_PRIVATE: 'false', HJ_WEBHOOK_RETRY_SCHEDULE: '0.05' },
    });
    token = await cp.token();
    tenant = await cp.createTenant();
  });
  afterAll(async () => {
    await cp.close();
    await receiver.close();
  });
  const create = (url: string, enabled = true) =>
    request(cp.app)
      .post(`/v1/tenants/${tenant.slug}/webhooks`)
      .set('Authorization', `Bearer ${token}`)
      .send({ url, event_types: ['*'], enabled });

  it.each([
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://192.168.1.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/hook',
    'https://localhost/hook',
    'https://api.localhost/hook',
    'http://127.0.0.1:9/hook',
  ])('refuses %s with a 400 on body.url', async (url) => {
    const res = await create(url).expect(400);
    const body = res.body as ProblemBody;
    expect(body.code).toBe('validation_failed');
    expect(body.errors?.map((e) => e.path)).toEqual(['body.url']);
  });

  it('accepts a public https URL', async () => {
    await create('https://hooks.example.com/hellojohn', false).expect(201);
  });

  it('refuses at connect time a host name that resolves to a loopback address', async () => {
    // `vm` is in this machine's /etc/hosts as 127.0.0.1: a name that passes the URL check.
    const path = `/hook/${randomUUID()}`;
    const created = await create(`https://vm:${receiver.port}${path}`).expect(201);
    const hookId = (created.body as { id: string }).id;
    const userId = randomUUID();
    await cp.deps.bus.publish(createEvent('user.deleted', tenant.id, { user_id: userId }));
    await eventually(async () => {
      const res = await request(cp.app)
        .get(`/v1/tenants/${tenant.slug}/webhooks/${hookId}/deliveries`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      const [delivery] = (res.body as { data: { status: string; error: string | null }[] }).data;
      expect(delivery?.status).toBe('failed');
      expect(delivery?.error).toMatch(/loopback, private, link-local or metadata/);
    });
    expect(receiver.received).toHaveLength(0);
  });
});
