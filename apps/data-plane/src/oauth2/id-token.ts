import type { UserRow } from '@hellojohn/dal';
import {
  atHashOf,
  signIdToken as signIdTokenJws,
  TokenError,
  verifyIdTokenHint as verifyIdTokenHintJws,
} from '@hellojohn/tokens';
import type { IdTokenClaims } from '@hellojohn/tokens';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import type { OAuthClient } from './client-directory';

/** What an ID token says about the authentication behind it (OIDC Core §2). */
export interface IdTokenInput {
  user: UserRow;
  /** The BROWSER session the user signed in with: `sid`, what RP-initiated logout names. */
  browserSessionId: string | null;
  authTime: Date;
  amr: readonly string[];
  acr: string | null;
  /** Only from the authorization code; a refresh never repeats it (OIDC Core §12.2). */
  nonce: string | null;
  /** The access token issued with it, for `at_hash` (OIDC Core §3.1.3.6). */
  accessToken: string;
  /** The granted scope: `profile` and `email` decide which user claims are included. */
  scope: readonly string[];
  ttlSeconds: number;
  /** Claims of other scopes (`organization`); the registered claims always win over them. */
  claims?: Record<string, unknown>;
}

/** The user's claims granted by `scope` (OIDC Core §5.4), for ID tokens and userinfo alike. */
export function userClaimsOf(user: UserRow, scope: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scope.includes('profile')) {
    if (user.name !== null) claims.name = user.name;
    claims.updated_at = Math.floor(user.updatedAt.getTime() / 1000);
  }
  if (scope.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}

/**
 * Signs an ID token for `client` (OIDC Core §2): RS256 with the tenant's RSA key unless the
 * client registered `id_token_signed_response_alg` EdDSA or ES256. `aud` and `azp` are the client id;
 * `amr`/`acr`/`nonce`/`sid` appear only when there is a value.
 */
export async function signIdToken(
  keyring: Keyring,
  tenant: TenantContext,
  client: OAuthClient,
  input: IdTokenInput,
): Promise<string> {
  const alg = client.id_token_signed_response_alg;
  const key =
    alg === 'RS256'
      ? await keyring.idTokenKey(tenant.db)
      : await keyring.signingKey(tenant.db, alg);
  const iat = Math.floor(Date.now() / 1000);
  const claims: IdTokenClaims = {
    ...input.claims,
    ...userClaimsOf(input.user, input.scope),
    iss: tenant.config.issuer,
    sub: input.user.id,
    aud: client.client_id,
    iat,
    exp: iat + input.ttlSeconds,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
    azp: client.client_id,
    at_hash: atHashOf(input.accessToken, key.alg),
  };
  if (input.nonce !== null) claims.nonce = input.nonce;
  if (input.amr.length > 0) claims.amr = [...input.amr];
  if (input.acr !== null) claims.acr = input.acr;
  if (input.browserSessionId !== null) claims.sid = input.browserSessionId;
  return signIdTokenJws(key, claims);
}

/**
 * Checks an `id_token_hint` (RP-Initiated Logout 1.0 §2): an ID token this tenant issued, by
 * signature with one of its published keys and `iss` (`@hellojohn/tokens` does the JOSE work).
 * Expired tokens are accepted, as the specification asks (the hint names who is logging out, it
 * grants nothing). Undefined for anything else: another tenant's token, a forged or malformed
 * one, an access token (`typ`).
 */
export async function verifyIdTokenHint(
  keyring: Keyring,
  tenant: TenantContext,
  token: string,
): Promise<{ sub: string; aud: string[]; sid: string | undefined } | undefined> {
  try {
    const { sub, aud, sid } = await verifyIdTokenHintJws(token, {
      issuer: tenant.config.issuer,
      keys: (kid) => keyring.publicKey(tenant.db, kid),
    });
    return { sub, aud: typeof aud === 'string' ? [aud] : aud, sid };
  } catch (err) {
    // Malformed JWS, bad signature, wrong issuer: not a hint this tenant issued.
    if (err instanceof TokenError) return undefined;
    throw err;
  }
}
