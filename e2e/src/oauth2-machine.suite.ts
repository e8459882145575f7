import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import request from 'supertest';
import {
  basic,
  eventually,
  oauthFailure,
  plainHttp,
  registerClient,
  slug,
  type Registered,
  type Tenant,
} from './support/oauth';
import type { System } from './support/system';

const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};

/**
 * Every tenant an OAuth 2.0 authorization server for machines (issue 9, first slice), end to
 * end: tenants and clients created through the control plane's API, an independent relying party
 * (openid-client 6, built on oauth4webapi) doing discovery, client credentials with both secret
 * methods, introspection and revocation against the data plane; and the negative cases with
 * their exact RFC 6749 bodies.
 */
export function oauth2MachineSuite(name: string, start: () => Promise<System>): void {
  describe(name, () => {
    let system: System;
    let a: Tenant;
    let b: Tenant;
    let machine: Registered;
    /** A machine client registered for client_secret_post (RFC 7591 token_endpoint_auth_method). */
    let machinePost: Registered;
    let resourceServer: Registered;
    let spa: Registered;
    let machineOfB: Registered;

    const machineClient = (tenant: Tenant, extra: Record<string, unknown> = {}) =>
      registerClient(system, tenant, {
        type: 'confidential',
        grant_types: ['client_credentials'],
        scopes: ['billing:read', 'billing:write', 'openid'],
        ...extra,
      });

    /** openid-client's view of a tenant, for one client. */
    const rp = (
      tenant: Tenant,
      client: Registered,
      auth: 'basic' | 'post' = 'basic',
      algorithm: 'oidc' | 'oauth2' = 'oidc',
    ) =>
      oidc.discovery(
        new URL(tenant.issuer),
        client.client_id,
        undefined,
        auth === 'basic'
          ? oidc.ClientSecretBasic(client.client_secret)
          : oidc.ClientSecretPost(client.client_secret),
        { ...plainHttp, algorithm },
      );

    const tokenRequest = (tenant: Tenant) =>
      request(system.dp.url).post(`/t/${tenant.slug}/oauth2/token`);

    beforeAll(async () => {
      system = await start();
      a = await system.createTenant(slug('m2m-a'));
      b = await system.createTenant(slug('m2m-b'));
      machine = await machineClient(a);
      machinePost = await machineClient(a, { token_endpoint_auth_method: 'client_secret_post' });
      resourceServer = await machineClient(a);
      machineOfB = await machineClient(b);
      spa = await registerClient(system, a, {
        type: 'public',
        grant_types: ['authorization_code'],
        redirect_uris: ['https://spa.example.com/callback'],
      });
    });
    afterAll(async () => {
      await system.close();
    });

    it('is discovered by an independent relying party, by OIDC and by RFC 8414', async () => {
      for (const algorithm of ['oidc', 'oauth2'] as const) {
        const config = await rp(a, machine, 'basic', algorithm);
        expect(config.serverMetadata()).toMatchObject({
          issuer: a.issuer,
          jwks_uri: `${a.issuer}/.well-known/jwks.json`,
          token_endpoint: `${a.issuer}/oauth2/token`,
          introspection_endpoint: `${a.issuer}/oauth2/introspect`,
          revocation_endpoint: `${a.issuer}/oauth2/revoke`,
          grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
          token_endpoint_auth_methods_supported: [
            'client_secret_basic',
            'client_secret_post',
            'none',
          ],
          authorization_endpoint: `${a.issuer}/oauth2/authorize`,
          userinfo_endpoint: `${a.issuer}/userinfo`,
          end_session_endpoint: `${a.issuer}/oauth2/end-session`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256', 'EdDSA', 'ES256'],
          authorization_response_iss_parameter_supported: true,
        });
      }
    });

    it.each(['basic', 'post'] as const)(
      'issues a verifiable at+jwt by client_credentials (client_secret_%s)',
      async (auth) => {
        const client = auth === 'basic' ? machine : machinePost;
        const config = await rp(a, client, auth);
        const tokens = await oidc.clientCredentialsGrant(config, { scope: 'billing:read' });
        expect(tokens.token_type).toBe('bearer');
        expect(tokens.scope).toBe('billing:read');
        expect(tokens.expiresIn()).toBeGreaterThan(0);
        expect(tokens.refresh_token).toBeUndefined();
        const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));
        const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
          issuer: a.issuer,
          audience: a.issuer,
          typ: 'at+jwt',
        });
        expect(protectedHeader.alg).toBe('EdDSA');
        expect(payload).toMatchObject({
          sub: client.client_id,
          client_id: client.client_id,
          tid: a.id,
          scope: 'billing:read',
        });
        expect(payload.sid).toBeUndefined();
      },
    );

    it('introspects and revokes through the relying party', async () => {
      const tokens = await oidc.clientCredentialsGrant(await rp(a, machine));
      expect(tokens.scope).toBe('billing:read billing:write');
      const rs = await rp(a, resourceServer, 'post');
      const active = await oidc.tokenIntrospection(rs, tokens.access_token);
      expect(active).toMatchObject({
        active: true,
        client_id: machine.client_id,
        sub: machine.client_id,
        scope: 'billing:read billing:write',
        iss: a.issuer,
        token_type: 'Bearer',
      });
      await oidc.tokenRevocation(await rp(a, machine), tokens.access_token);
      expect(await oidc.tokenIntrospection(rs, tokens.access_token)).toEqual({ active: false });
      // Revoking an unknown token is not an error (RFC 7009 §2.2).
      await oidc.tokenRevocation(await rp(a, machine), 'no-such-token');
    });

    it("refuses a wrong secret, an unknown client and another tenant's client alike", async () => {
      const wrong = { client_id: machine.client_id, client_secret: 'hjcs_wrong' };
      const unknown = { client_id: 'hjc_unknown', client_secret: 'hjcs_wrong' };
      for (const client of [wrong, unknown, machineOfB]) {
        const res = await tokenRequest(a)
          .set('Authorization', basic(client.client_id, client.client_secret ?? ''))
          .type('form')
          .send('grant_type=client_credentials')
          .expect(401);
        expect(res.body).toEqual(INVALID_CLIENT);
        expect(res.headers['www-authenticate']).toMatch(/^Basic /);
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const failure = await oauthFailure(oidc.clientCredentialsGrant(await rp(a, wrong)));
      expect(failure).toEqual({ status: 401, error: 'invalid_client' });
      // B's client is fine at B's issuer.
      await oidc.clientCredentialsGrant(await rp(b, machineOfB));
    });

    it('refuses a public client client_credentials with unauthorized_client', async () => {
      const res = await tokenRequest(a)
        .type('form')
        .send(`grant_type=client_credentials&client_id=${spa.client_id}`)
        .expect(400);
      expect(res.body).toEqual({
        error: 'unauthorized_client',
        error_description: 'The client may not use the client_credentials grant.',
      });
    });

    it('refuses an unregistered scope with invalid_scope', async () => {
      const failure = await oauthFailure(
        oidc.clientCredentialsGrant(await rp(a, machine), { scope: 'billing:admin' }),
      );
      expect(failure).toEqual({ status: 400, error: 'invalid_scope' });
      const res = await tokenRequest(a)
        .set('Authorization', basic(machine.client_id, machine.client_secret ?? ''))
        .type('form')
        .send('grant_type=client_credentials&scope=openid')
        .expect(400);
      expect(res.body).toEqual({
        error: 'invalid_scope',
        error_description: 'The scope openid needs a user; this grant has none.',
      });
    });

    it("answers {active: false} for tenant B's token introspected at tenant A", async () => {
      const ofB = await oidc.clientCredentialsGrant(await rp(b, machineOfB));
      const atA = await oidc.tokenIntrospection(await rp(a, resourceServer), ofB.access_token);
      expect(atA).toEqual({ active: false });
      const atB = await oidc.tokenIntrospection(await rp(b, machineOfB), ofB.access_token);
      expect(atB.active).toBe(true);
    });

    it('refuses repeated parameters and JSON bodies with RFC 6749 bodies', async () => {
      const repeated = await tokenRequest(a)
        .set('Authorization', basic(machine.client_id, machine.client_secret ?? ''))
        .type('form')
        .send('grant_type=client_credentials&grant_type=client_credentials')
        .expect(400);
      expect(repeated.body).toEqual({
        error: 'invalid_request',
        error_description: 'Repeated parameter: grant_type',
      });
      const json = await tokenRequest(a)
        .set('Authorization', basic(machine.client_id, machine.client_secret ?? ''))
        .send({ grant_type: 'client_credentials' })
        .expect(415);
      expect(json.body).toEqual({
        error: 'invalid_request',
        error_description: 'Send application/x-www-form-urlencoded.',
      });
    });

    it('follows secret rotation and deletion on the control plane', async () => {
      const client = await machineClient(a);
      const token = (await oidc.clientCredentialsGrant(await rp(a, client))).access_token;
      const admin = `Bearer ${await system.adminToken()}`;
      const rotated = await request(system.cp.url)
        .post(`/v1/tenants/${a.id}/clients/${client.client_id}/secret`)
        .set('Authorization', admin)
        .expect(200);
      const fresh = {
        client_id: client.client_id,
        client_secret: rotated.body.client_secret as string,
      };
      await eventually(async () => {
        expect(await oauthFailure(oidc.clientCredentialsGrant(await rp(a, client)))).toEqual({
          status: 401,
          error: 'invalid_client',
        });
      });
      await oidc.clientCredentialsGrant(await rp(a, fresh));
      await request(system.cp.url)
        .delete(`/v1/tenants/${a.id}/clients/${client.client_id}`)
        .set('Authorization', admin)
        .expect(204);
      await eventually(async () => {
        expect(await oauthFailure(oidc.clientCredentialsGrant(await rp(a, fresh)))).toEqual({
          status: 401,
          error: 'invalid_client',
        });
      });
      // A deleted client's tokens are no longer active.
      expect(await oidc.tokenIntrospection(await rp(a, resourceServer), token)).toEqual({
        active: false,
      });
    });
  });
}
