import { KeyObject, randomUUID, sign } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { ACCESS_TOKEN_TYP, REGISTERED_CLAIMS } from './access-token-claims';
import type { AccessTokenInput } from './access-token-claims';
import type { SigningAlg } from './jwks';
import type { SigningKey } from './signing-key';

function nonEmpty(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/** RFC 7519 §4.1.3: `aud` is a string or an array of strings. */
function checkAudience(audience: unknown): void {
  const valid =
    typeof audience === 'string' ||
    (Array.isArray(audience) && audience.every((value) => typeof value === 'string'));
  if (!valid) throw new TypeError('audience must be a string or an array of strings');
}

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/**
 * The protected header segment, made once per key: it is the same bytes for every token a key
 * signs (`{ alg, kid, typ }`, in that order, as jose's `setProtectedHeader` wrote it).
 */
const headerSegments = new Map<string, string>();
function headerSegment(alg: SigningAlg, kid: string): string {
  const cacheKey = `${alg}\u0000${kid}`;
  let segment = headerSegments.get(cacheKey);
  if (segment === undefined) {
    segment = base64url(JSON.stringify({ alg, kid, typ: ACCESS_TOKEN_TYP }));
    // Keys rotate rarely; the bound only stops a process that signs with endless test keys.
    if (headerSegments.size >= 1024) headerSegments.clear();
    headerSegments.set(cacheKey, segment);
  }
  return segment;
}

const keyObjects = new WeakMap<webcrypto.CryptoKey, KeyObject>();
function keyObjectOf(key: webcrypto.CryptoKey | KeyObject): KeyObject {
  if (key instanceof KeyObject) return key;
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/**
 * The JWS signature (RFC 7515 §5.1) of `input` with node:crypto directly. Ed25519 and P-256 sign
 * on this thread: a signature costs tens of microseconds, less than handing a job to libuv's pool
 * and back. RSA (PKCS#1 v1.5, SHA-256) costs milliseconds, so it runs on the pool.
 */
function signatureOf(alg: SigningAlg, input: Buffer, key: KeyObject): Promise<Buffer> | Buffer {
  if (alg === 'EdDSA') return sign(null, input, key);
  // RFC 7518 §3.4: a JWS carries the raw R || S pair (64 bytes), not node's default DER.
  if (alg === 'ES256') return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  return new Promise((resolve, reject) => {
    sign('sha256', input, key, (error, signature) => {
      if (error) reject(error);
      else resolve(signature);
    });
  });
}

/**
 * Signs an RFC 9068 access token: header `{ alg, kid, typ: 'at+jwt' }`, claims `iss sub aud exp
 * iat jti tid` plus `sid`/`scope`/`amr`/`acr` when given and any `extra`. No `nbf`: it would equal `iat`.
 * A compact JWS built directly (the header segment cached per key, one `crypto.sign`): the same
 * bytes jose's `SignJWT` produced, without its builder, claim copies and WebCrypto job per token.
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
  checkAudience(claims.audience);
  if (!Number.isInteger(claims.ttlSeconds) || claims.ttlSeconds <= 0) {
    throw new RangeError('ttlSeconds must be a positive integer');
  }
  if (claims.extra !== undefined) {
    const shadowed = Object.keys(claims.extra).filter((name) => REGISTERED_CLAIMS.has(name));
    if (shadowed.length > 0) {
      throw new TypeError(`extra may not set registered claims: ${shadowed.join(', ')}`);
    }
  }

  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = iat + claims.ttlSeconds;
  const jti = randomUUID();
  // The claim order of jose's builder (the payload given, then each setter's claim), so tokens
  // keep the shape they had.
  const payload: Record<string, unknown> = { ...claims.extra, tid: claims.tenantId };
  if (claims.sessionId !== undefined) payload.sid = claims.sessionId;
  if (claims.scope !== undefined) payload.scope = claims.scope;
  if (claims.amr !== undefined && claims.amr.length > 0) payload.amr = [...claims.amr];
  if (claims.acr !== undefined) payload.acr = claims.acr;
  payload.iss = claims.issuer;
  payload.sub = claims.subject;
  payload.aud = claims.audience;
  payload.iat = iat;
  payload.exp = exp;
  payload.jti = jti;

  const signingInput = `${headerSegment(key.alg, key.kid)}.${base64url(JSON.stringify(payload))}`;
  const signature = await signatureOf(
    key.alg,
    Buffer.from(signingInput),
    keyObjectOf(key.privateKey),
  );
  const token = `${signingInput}.${signature.toString('base64url')}`;
  return { token, jti, expiresAt: new Date(exp * 1000) };
}
