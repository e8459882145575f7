import { randomUUID } from 'node:crypto';
import { signAccessToken } from '@hellojohn/tokens';
import { decodeProtectedHeader } from 'jose';
import { tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import {
  ensurePyJwt,
  expectAllAccept,
  expectAllRefuse,
  supports,
  verifyWithEach,
  VERIFIERS,
  type VerifierAlg,
  type VerifyWithOptions,
} from './support/ecosystem-verifiers';
import { firstPartyWebApp } from './support/fake-clients';
import { codeFlowTokens, tenantDb } from './support/oidc-fixtures';
import { oauthApi, type ClientCredentials } from './support/oauth-client';

jest.setTimeout(120_000);

const ALGS: readonly VerifierAlg[] = ['EdDSA', 'RS256', 'ES256'];
const APP = 'https://app.example.com/cb';

/**
 * Tokens for an API resource (docs/apis.md), of each algorithm an API may choose, checked by the
 * resource-server libraries people use, unmodified (jose, express-oauth2-jwt-bearer, passport-jwt
 * + jwks-rsa, Debian's PyJWT), each configured for that API's identifier as its audience: a
 * machine's and a user's token are accepted; a token for another API of the same tenant, the
 * same identifier's token from another tenant, a tampered one and an expired one are refused.
 */
describe('API resource tokens verified by the ecosystem (EdDSA, RS256, ES256)', () => {
  let system: DpSystem;

  beforeAll(async () => {
    ensurePyJwt();
    system = await startDpSystem();
  });
  afterAll(async () => {
    await system.close();
  });

  describe.each(ALGS)('an API signed with %s', (alg) => {
    const identifier = `https://api.example.com/${alg.toLowerCase()}/${randomUUID()}`;
    const sibling = `https://api.example.com/sibling/${randomUUID()}`;
    const verifiers = VERIFIERS.filter((verifier) => supports(verifier, alg));
    let tenant: TestTenant;
    let otherTenant: TestTenant;
    let machine: ClientCredentials;
    let otherMachine: ClientCredentials;
    let web: ClientCredentials;

    /** A backend of `identifier` in `tenant`: its issuer, its JWKS, its own audience. */
    const backendOf = (audience = identifier): VerifyWithOptions => ({
      issuer: tenant.issuer,
      audience,
      jwksUri: `${tenant.issuer}/.well-known/jwks.json`,
      alg,
    });

    beforeAll(async () => {
      tenant = await system.createTenant(`api-${alg.toLowerCase()}`);
      otherTenant = await system.createTenant(`api-other-${alg.toLowerCase()}`);
      machine = await system.clients.register(tenant.id, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      otherMachine = await system.clients.register(otherTenant.id, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      web = await system.clients.register(tenant.id, firstPartyWebApp(APP));
      for (const [owner, client, api] of [
        [tenant, machine, identifier],
        [tenant, machine, sibling],
        // The other tenant defines an API with the very same identifier.
        [otherTenant, otherMachine, identifier],
      ] as const) {
        const resource = await system.clients.defineResource(owner.id, {
          identifier: api,
          scopes: ['things:read'],
          access_token_alg: alg,
        });
        await system.clients.grantResource(owner.id, resource.id, client.client_id, [
          'things:read',
        ]);
      }
    });

    async function machineToken(
      owner: TestTenant,
      client: ClientCredentials,
      resource = identifier,
    ): Promise<string> {
      const res = await oauthApi(system.dp.url, owner)
        .token({ basic: client }, { resource })
        .expect(200);
      return res.body.access_token as string;
    }

    const outcomes = (token: string, options: VerifyWithOptions) =>
      verifyWithEach(verifiers, token, options);

    it(`a machine's token for the API is signed with ${alg} and accepted`, async () => {
      const token = await machineToken(tenant, machine);
      expect(decodeProtectedHeader(token)).toMatchObject({ alg, typ: 'at+jwt' });
      expectAllAccept(await outcomes(token, backendOf()), machine.client_id);
    });

    it("a user's token for the API (code flow with resource) is accepted", async () => {
      const user = await tenantApi(system.dp.url, tenant).newUser('api-alg');
      const { body } = await codeFlowTokens(system, tenant, web, {
        userId: user.id,
        redirectUri: APP,
        scope: 'openid',
        challenge: null,
        resource: identifier,
      });
      expectAllAccept(await outcomes(body.access_token, backendOf()), user.id);
    });

    it('is refused by the backend of another API of the tenant', async () => {
      const forSibling = await machineToken(tenant, machine, sibling);
      expectAllRefuse(await outcomes(forSibling, backendOf()), /aud/i);
    });

    it("is refused when it is another tenant's token for the same identifier", async () => {
      const foreign = await machineToken(otherTenant, otherMachine);
      expectAllRefuse(await outcomes(foreign, backendOf()), /key|iss/i);
    });

    it('is refused when its payload was tampered with', async () => {
      const token = await machineToken(tenant, machine);
      const [header = '', payload = '', signature = ''] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
      const forged = Buffer.from(
        JSON.stringify({ ...claims, scope: 'things:read things:write' }),
      ).toString('base64url');
      expectAllRefuse(
        await outcomes(`${header}.${forged}.${signature}`, backendOf()),
        /signature/i,
      );
    });

    it('is refused once expired', async () => {
      // The tenant's real key, an hour ago, for 60 s: what the API would have been given then.
      const key = await system.dp.deps.keyring.signingKey(tenantDb(system, tenant), alg);
      const { token } = await signAccessToken(
        key,
        {
          issuer: tenant.issuer,
          audience: identifier,
          subject: machine.client_id,
          tenantId: tenant.id,
          scope: 'things:read',
          ttlSeconds: 60,
          extra: { client_id: machine.client_id, permissions: ['things:read'] },
        },
        { now: new Date(Date.now() - 3_600_000) },
      );
      expectAllRefuse(await outcomes(token, backendOf()), /exp/i);
    });
  });
});
