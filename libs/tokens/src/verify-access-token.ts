import { errors, importJWK, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { ACCESS_TOKEN_TYP } from './access-token-claims';
import type { AccessTokenClaims } from './access-token-claims';
import { isCanonicalJws } from './canonical-jws';
import { TokenError } from './errors';
import { ACCESS_TOKEN_ALGS } from './jwks';
import type { Jwks, PublicJwk, SigningAlg } from './jwks';

/** How to check an access token. */
export interface VerifyOptions {
  issuer: string;
  /** The accepted audience, or several: the token's `aud` must name one of them. */
  audience: string | string[];
  /** A JWKS, or a lookup by kid (e.g. a per-tenant cache). */
  keys: Jwks | ((kid: string) => Promise<PublicJwk | undefined>);
  /**
   * Accepted `alg` values; default `['EdDSA']`. Symmetric algs are never accepted, and a token is
   * only checked with a key whose own `alg` equals its header's.
   */
  algorithms?: SigningAlg[];
  /** Allowed clock skew for `exp`/`iat`; default 5 seconds. */
  clockToleranceSeconds?: number;
  currentDate?: Date;
}

const SUPPORTED: ReadonlySet<string> = new Set<SigningAlg>(ACCESS_TOKEN_ALGS);
type VerificationKey = Awaited<ReturnType<typeof importJWK>>;
// Importing a JWK costs a parse; cache per JWK object so a cached JWKS is imported once.
const imported = new WeakMap<PublicJwk, VerificationKey>();

async function findJwk(keys: VerifyOptions['keys'], kid: string): Promise<PublicJwk | undefined> {
  if (typeof keys === 'function') return keys(kid);
  return keys.keys.find((jwk) => jwk.kid === kid);
}

/** Resolves a token's key by `kid`; shared with `verifyIdTokenHint` (not part of the index). */
export function keyResolver(keys: VerifyOptions['keys']) {
  return async function resolveKey(header: {
    kid?: string;
    alg?: string;
  }): Promise<VerificationKey> {
    const { kid, alg } = header;
    if (typeof kid !== 'string' || kid === '') throw new TokenError('token_invalid', 'kid_missing');
    const jwk = await findJwk(keys, kid);
    if (!jwk) throw new TokenError('token_invalid', 'kid_unknown');
    // RFC 8725 §3.1: the key decides the algorithm, never the token.
    if (jwk.alg !== alg) throw new TokenError('token_invalid', 'alg_key_mismatch');
    let key = imported.get(jwk);
    if (!key) {
      key = await importJWK(jwk, jwk.alg);
      imported.set(jwk, key);
    }
    return key;
  };
}

/** Maps a jose (or key lookup) failure to a `TokenError`; shared with `verifyIdTokenHint`. */
export function toTokenError(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof errors.JWTExpired)
    return new TokenError('token_expired', 'exp', { cause: err });
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new TokenError('token_invalid', `claim_${err.claim}_${err.reason}`, { cause: err });
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError('token_invalid', 'alg_not_allowed', { cause: err });
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError('token_invalid', 'signature_invalid', { cause: err });
  }
  if (err instanceof errors.JOSEError)
    return new TokenError('token_invalid', err.code, { cause: err });
  return new TokenError('token_invalid', 'unverifiable', { cause: err });
}

function optionalString(payload: JWTPayload, claim: string): void {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string') {
    throw new TokenError('token_invalid', `claim_${claim}_invalid`);
  }
}

function requireString(payload: JWTPayload, claim: string): void {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') {
    throw new TokenError('token_invalid', `claim_${claim}_missing`);
  }
}

function toClaims(payload: JWTPayload, now: number, tolerance: number): AccessTokenClaims {
  for (const claim of ['sub', 'tid', 'jti', 'iss']) requireString(payload, claim);
  optionalString(payload, 'sid');
  optionalString(payload, 'scope');
  optionalString(payload, 'acr');
  const amr = payload['amr'];
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((m) => typeof m === 'string'))) {
    throw new TokenError('token_invalid', 'claim_amr_invalid');
  }
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw new TokenError('token_invalid', 'claim_exp_missing');
  if (typeof iat !== 'number') throw new TokenError('token_invalid', 'claim_iat_missing');
  // jose checks iat only with maxTokenAge; a token from the future means skew or forgery.
  if (iat > now + tolerance) throw new TokenError('token_invalid', 'claim_iat_in_future');
  return payload as AccessTokenClaims;
}

/**
 * Verifies an access token strictly: the compact JWS must be canonical base64url (no padding, no
 * spare bits set), `typ` must be `at+jwt` (RFC 9068 §4), `alg` must be in the
 * allow-list and match the key, `kid` must name a known key, `iss`/`aud`/`exp` must check out and
 * `sub`/`tid` must be strings. Throws `TokenError` with code `token_expired` or `token_invalid`.
 *
 * @example
 * ```ts
 * const claims = await verifyAccessToken(bearer, { issuer, audience, keys: jwks });
 * ```
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyOptions,
): Promise<AccessTokenClaims> {
  const algorithms = (options.algorithms ?? ['EdDSA']).filter((alg) => SUPPORTED.has(alg));
  if (algorithms.length === 0) throw new TypeError('algorithms must include EdDSA, RS256 or ES256');
  const tolerance = options.clockToleranceSeconds ?? 5;
  const currentDate = options.currentDate ?? new Date();
  // One token, one spelling: jose would also accept padded or spare-bit variants of it.
  if (!isCanonicalJws(token)) throw new TokenError('token_invalid', 'jws_not_canonical');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyResolver(options.keys), {
      issuer: options.issuer,
      audience: options.audience,
      algorithms,
      typ: ACCESS_TOKEN_TYP,
      clockTolerance: tolerance,
      currentDate,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    }));
  } catch (err) {
    throw toTokenError(err);
  }
  return toClaims(payload, Math.floor(currentDate.getTime() / 1000), tolerance);
}
