import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYP, REGISTERED_CLAIMS } from './access-token-claims';
import type { AccessTokenInput } from './access-token-claims';
import type { SigningKey } from './signing-key';

function nonEmpty(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/**
 * Signs an RFC 9068 access token: header `{ alg, kid, typ: 'at+jwt' }`, claims `iss sub aud exp
 * iat jti tid` plus `sid`/`scope` when given and any `extra`. No `nbf`: it would equal `iat`.
 *
 * @example
 * ```ts
 * const { token, expiresAt } = await signAccessToken(key, {
 *   issuer, audience: clientId, subject: user.id, tenantId, sessionId, ttlSeconds: 900,
 * });
 * ```
 */
export async function signAccessToken(
  key: SigningKey,
  claims: AccessTokenInput,
  options: { now?: Date } = {},
): Promise<{ token: string; jti: string; expiresAt: Date }> {
  nonEmpty('issuer', claims.issuer);
  nonEmpty('subject', claims.subject);
  nonEmpty('tenantId', claims.tenantId);
  if (!Number.isInteger(claims.ttlSeconds) || claims.ttlSeconds <= 0) {
    throw new RangeError('ttlSeconds must be a positive integer');
  }
  const shadowed = Object.keys(claims.extra ?? {}).filter((name) => REGISTERED_CLAIMS.has(name));
  if (shadowed.length > 0) {
    throw new TypeError(`extra may not set registered claims: ${shadowed.join(', ')}`);
  }

  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = iat + claims.ttlSeconds;
  const jti = randomUUID();
  const payload: Record<string, unknown> = { ...claims.extra, tid: claims.tenantId };
  if (claims.sessionId !== undefined) payload.sid = claims.sessionId;
  if (claims.scope !== undefined) payload.scope = claims.scope;

  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(claims.issuer)
    .setSubject(claims.subject)
    .setAudience(claims.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti, expiresAt: new Date(exp * 1000) };
}
