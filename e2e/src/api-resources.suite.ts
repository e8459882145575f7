import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@hellojohn/example-sample-backend';
import { createTokenVerifier } from '@hellojohn/sdk';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import {
  basic,
  eventually,
  registerClient,
  slug,
  type Registered,
  type Tenant,
} from './support/oauth';
import type { System } from './support/system';

/**
 * API resources end to end (docs/apis.md): defined on the control plane, carried to the data
 * plane by `resource.*` events, requested with RFC 8707 `resource`, and verified by a backend with
 * the SDK guard configured for its own API, which refuses a token meant for another API.
 */
export function apiResourcesSuite(name: string, start: () => Promise<System>): void {
  describe(name, () => {
    let system: System;
    let tenant: Tenant;
    let machine: Registered;
    let invoices: { id: string; identifier: string };
    let reports: { id: string; identifier: string };
    let backend: Server;
    let backendUrl: string;

    const cp = async () => {
      const token = await system.adminToken();
      return {
        post: (path: string, body: object) =>
          request(system.cp.url).post(path).set('Authorization', `Bearer ${token}`).send(body),
        put: (path: string, body: object) =>
          request(system.cp.url).put(path).set('Authorization', `Bearer ${token}`).send(body),
        patch: (path: string, body: object) =>
          request(system.cp.url).patch(path).set('Authorization', `Bearer ${token}`).send(body),
      };
    };
    const machineToken = (resource: string) =>
      request(system.dp.url)
        .post(`/t/${tenant.slug}/oauth2/token`)
        .set('Authorization', basic(machine.client_id, machine.client_secret ?? ''))
        .type('form')
        .send({ grant_type: 'client_credentials', resource });

    beforeAll(async () => {
      system = await start();
      tenant = await system.createTenant(slug('apis'));
      machine = await registerClient(system, tenant, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      const api = await cp();
      const define = async (identifier: string, alg: string, scope: string) => {
        const res = await api
          .post(`/v1/tenants/${tenant.id}/resources`, {
            identifier,
            name: identifier,
            scopes: [{ name: scope }],
            access_token_alg: alg,
          })
          .expect(201);
        return res.body as { id: string; identifier: string };
      };
      invoices = await define(`https://invoices.${tenant.slug}.example`, 'RS256', 'invoices:read');
      reports = await define(`https://reports.${tenant.slug}.example`, 'ES256', 'reports:read');
      for (const [resource, scope] of [
        [invoices, 'invoices:read'],
        [reports, 'reports:read'],
      ] as const) {
        await api
          .put(`/v1/tenants/${tenant.id}/clients/${machine.client_id}/resources/${resource.id}`, {
            scopes: [scope],
          })
          .expect(200);
      }
      // The invoices backend: the sample backend, whose SDK guard admits its own API only.
      backend = createServer(
        createApp({ tenantUrl: tenant.issuer, audience: invoices.identifier }),
      );
      await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
      backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => backend.close(resolve));
      await system.close();
    });

    it('issues a token per API with its algorithm; each backend admits only its own', async () => {
      const forInvoices = await machineToken(invoices.identifier).expect(200);
      const forReports = await machineToken(reports.identifier).expect(200);
      const invoicesToken = (forInvoices.body as { access_token: string }).access_token;
      const reportsToken = (forReports.body as { access_token: string }).access_token;
      expect(decodeProtectedHeader(invoicesToken).alg).toBe('RS256');
      expect(decodeProtectedHeader(reportsToken).alg).toBe('ES256');
      expect(decodeJwt(invoicesToken)).toMatchObject({
        aud: invoices.identifier,
        scope: 'invoices:read',
        permissions: ['invoices:read'],
      });

      const call = (token: string) =>
        fetch(`${backendUrl}/api/profile`, { headers: { authorization: `Bearer ${token}` } });
      expect((await call(invoicesToken)).status).toBe(200);
      const refused = await call(reportsToken);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);

      const verifier = createTokenVerifier({
        tenantUrl: tenant.issuer,
        audience: reports.identifier,
      });
      await expect(verifier.verify(reportsToken)).resolves.toMatchObject({
        aud: reports.identifier,
      });
      await expect(verifier.verify(invoicesToken)).rejects.toThrow();
    });

    it('follows the control plane: a changed algorithm and a removed scope reach the data plane', async () => {
      const api = await cp();
      await api
        .patch(`/v1/tenants/${tenant.id}/resources/${invoices.id}`, {
          access_token_alg: 'ES256',
          scopes: [{ name: 'invoices:write' }],
        })
        .expect(200);
      await eventually(async () => {
        const res = await machineToken(invoices.identifier).expect(200);
        const token = (res.body as { access_token: string }).access_token;
        expect(decodeProtectedHeader(token).alg).toBe('ES256');
        // The grant lost invoices:read with the API: the token has no scope left.
        expect(decodeJwt(token).scope).toBeUndefined();
      });
    });
  });
}
