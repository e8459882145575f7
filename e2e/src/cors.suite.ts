import request from 'supertest';
import { eventually, registerClient, slug, type Registered, type Tenant } from './support/oauth';
import type { System } from './support/system';

/** Every `Access-Control-*` header of a response. */
function corsHeadersOf(res: request.Response): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.headers as Record<string, string>).filter(([name]) =>
      name.startsWith('access-control-'),
    ),
  );
}

/**
 * CORS end to end (docs/oidc.md, "CORS"): origins registered on the control plane's clients reach
 * the data plane through the internal API's paginated client list, and a client change reaches it
 * through the `client.*` events of the outbox (in-process bus or RabbitMQ).
 */
export function corsSuite(title: string, start: () => Promise<System>): void {
  describe(title, () => {
    let system: System;
    let tenant: Tenant;
    let spa: Registered;
    const SPA = 'https://spa.example.com';
    const ADDED = 'http://127.0.0.1:8765';

    const preflight = (origin: string) =>
      request(system.dp.url)
        .options(`/t/${tenant.slug}/oauth2/token`)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');

    beforeAll(async () => {
      system = await start();
      tenant = await system.createTenant(slug('cors'));
      spa = await registerClient(system, tenant, {
        type: 'public',
        grant_types: ['authorization_code'],
        redirect_uris: [`${SPA}/cb`],
        allowed_origins: [SPA],
      });
      await registerClient(system, tenant, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
    });
    afterAll(async () => {
      await system.close();
    });

    it('answers the origins registered on the control plane, and only those', async () => {
      const allowed = await preflight(SPA).expect(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(SPA);
      const discovery = await request(system.dp.url)
        .get(`/t/${tenant.slug}/.well-known/openid-configuration`)
        .set('Origin', SPA)
        .expect(200);
      expect(discovery.headers['access-control-allow-origin']).toBe(SPA);
      expect(discovery.headers.vary).toMatch(/\bOrigin\b/);
      const refused = await preflight('https://evil.example.com').expect(403);
      expect(corsHeadersOf(refused)).toEqual({});
      const authorize = await request(system.dp.url)
        .get(`/t/${tenant.slug}/oauth2/authorize?client_id=${spa.client_id}`)
        .set('Origin', SPA);
      expect(corsHeadersOf(authorize)).toEqual({});
    });

    it('serves an origin added by a client update, and drops it with the client', async () => {
      await preflight(ADDED).expect(403);
      await request(system.cp.url)
        .patch(`/v1/tenants/${tenant.id}/clients/${spa.client_id}`)
        .set('Authorization', `Bearer ${await system.adminToken()}`)
        .send({ allowed_origins: [SPA, ADDED] })
        .expect(200);
      await eventually(() => preflight(ADDED).expect(204));
      await request(system.cp.url)
        .delete(`/v1/tenants/${tenant.id}/clients/${spa.client_id}`)
        .set('Authorization', `Bearer ${await system.adminToken()}`)
        .expect(204);
      await eventually(() => preflight(ADDED).expect(403));
      await preflight(SPA).expect(403);
    });
  });
}
