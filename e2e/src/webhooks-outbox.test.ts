import { randomBytes } from 'node:crypto';
import { eventually } from '@hellojohn/testing';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { startSystem, type System } from './support/system';
import { startReceiver, type Receiver } from './webhooks-outbox.receiver';

const PASSWORD = 'analytical engine notes 1843';

/**
 * Issue 14 on the embedded default (SQLite, in-process bus, both planes in one process): the
 * data plane's domain events reach a webhook through the tenant outbox, signed.
 */
describe('webhooks from the data plane outbox (embedded default)', () => {
  let system: System;
  let receiver: Receiver;

  beforeAll(async () => {
    system = await startSystem();
    receiver = await startReceiver();
  }, 60_000);
  afterAll(async () => {
    await receiver.close();
    await system.close();
  });

  it('delivers user, session and organization events, each verified independently', async () => {
    const tenant = await system.createTenant(`wh-emb-${randomBytes(3).toString('hex')}`);
    const hook = await request(system.cp.url)
      .post(`/v1/tenants/${tenant.id}/webhooks`)
      .set('Authorization', `Bearer ${await system.adminToken()}`)
      .send({ url: receiver.url('/hook'), event_types: ['user.*', 'session.*', 'organization.*'] })
      .expect(201);
    const verifier = new Webhook((hook.body as { secret: string }).secret);

    const signUp = await request(system.dp.url)
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(201);
    const { user, access_token: token } = signUp.body as {
      user: { id: string };
      access_token: string;
    };
    await request(system.dp.url)
      .post('/v1/organizations')
      .set('X-Tenant-ID', tenant.slug)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Engines', slug: 'engines' })
      .expect(201);
    await request(system.dp.url)
      .post('/v1/auth/sign-out')
      .set('X-Tenant-ID', tenant.slug)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);

    const types = () =>
      receiver.received.map((r) => {
        const headers: Record<string, string> = {};
        for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
          const value = r.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        return (verifier.verify(r.body, headers) as { type: string }).type;
      });
    await eventually(() => {
      expect(types().sort()).toEqual([
        'organization.created',
        'session.revoked',
        'user.created',
        'user.signed_in',
      ]);
      return Promise.resolve();
    }, 20_000);
    // The filter left membership.created out; every body names the user, never a secret.
    const bodies = receiver.received.map((r) => r.body).join('\n');
    expect(bodies).toContain(user.id);
    expect(bodies).not.toContain(PASSWORD);
    expect(bodies).not.toContain(token);
  }, 60_000);
});
