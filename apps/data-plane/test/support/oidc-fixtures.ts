import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { sha256Hex } from '@hellojohn/tokens';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import type { DpSystem, TestTenant } from './dp-system';
import { oauthApi, type ClientCredentials } from './oauth-client';

/** The tenant's database handle, as the data plane opens it. */
export function tenantDb(system: DpSystem, tenant: TestTenant): TenantDb {
  return system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
}

/** RFC 7636 §4.1-4.2: a verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface CodeOptions {
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  nonce?: string | null;
  /** PKCE challenge (S256); null: a code without PKCE. */
  challenge: string | null;
  amr?: string[];
  acr?: string | null;
  /** Reuse a browser session instead of starting one. */
  browserSessionId?: string;
  expiresAt?: Date;
  authTime?: Date;
  /** Record the user's consent to the scope, as the consent page does (default true). */
  consent?: boolean;
  /** The API resource (RFC 8707) the authorization request named. */
  resource?: string;
}

/**
 * What the LOGIN side does before redirecting back: a browser session (SSO) and an authorization
 * code under it, written through the DAL as the contract says.
 */
export async function issueCode(
  db: TenantDb,
  options: CodeOptions,
): Promise<{ code: string; browserSessionId: string; authTime: Date }> {
  const authTime = options.authTime ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000);
  const amr = options.amr ?? ['pwd'];
  const acr = options.acr ?? null;
  let browserSessionId = options.browserSessionId;
  if (browserSessionId === undefined) {
    browserSessionId = randomUUID();
    await db.browserSessions.create({
      id: browserSessionId,
      userId: options.userId,
      handleHash: sha256Hex(randomBytes(32).toString('base64url')),
      expiresAt: new Date(Date.now() + 3_600_000),
      authTime,
      amr,
      acr,
      userAgent: 'test',
      ip: '127.0.0.1',
    });
  }
  if (options.consent !== false) {
    const scopes = options.scope.split(' ').filter((scope) => scope !== '');
    await db.consents.grant(options.userId, options.clientId, scopes);
  }
  const code = randomBytes(32).toString('base64url');
  await db.authorizationCodes.create({
    codeHash: sha256Hex(code),
    clientId: options.clientId,
    userId: options.userId,
    sessionId: browserSessionId,
    redirectUri: options.redirectUri,
    scope: options.scope,
    nonce: options.nonce ?? null,
    codeChallenge: options.challenge,
    codeChallengeMethod: options.challenge === null ? null : 'S256',
    authTime,
    amr,
    acr,
    expiresAt: options.expiresAt ?? new Date(Date.now() + 60_000),
    resource: options.resource ?? null,
  });
  return { code, browserSessionId, authTime };
}

/**
 * A code issued through the DAL, then redeemed by `client` (client_secret_basic) at the token
 * endpoint, as a relying party finishing the code flow would.
 */
export async function codeFlowTokens(
  system: DpSystem,
  tenant: TestTenant,
  client: ClientCredentials,
  options: Omit<CodeOptions, 'clientId'>,
) {
  const issued = await issueCode(tenantDb(system, tenant), {
    clientId: client.client_id,
    ...options,
  });
  const res = await oauthApi(system.dp.url, tenant)
    .post(
      'token',
      { grant_type: 'authorization_code', code: issued.code, redirect_uri: options.redirectUri },
      { basic: client },
    )
    .expect(200);
  return {
    ...issued,
    body: res.body as { access_token: string; refresh_token: string; id_token: string },
  };
}

/** Verifies an ID token against the tenant's published JWKS, as a relying party would. */
export async function verifyIdToken(
  system: DpSystem,
  tenant: TestTenant,
  idToken: string,
  audience: string,
  algorithms: string[] = ['RS256'],
) {
  const jwks = await request(system.dp.url).get(`/t/${tenant.slug}/.well-known/jwks.json`);
  return jwtVerify(idToken, createLocalJWKSet(jwks.body as JSONWebKeySet), {
    issuer: tenant.issuer,
    audience,
    algorithms,
    typ: 'JWT',
  });
}

/** OIDC Core §3.1.3.6 at_hash, computed independently of the server's code. */
export function expectedAtHash(accessToken: string, alg: 'RS256' | 'EdDSA'): string {
  const digest = createHash(alg === 'RS256' ? 'sha256' : 'sha512')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
