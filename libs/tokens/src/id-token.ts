import { createHash } from 'node:crypto';
import { compactVerify, SignJWT } from 'jose';
import { isCanonicalJws } from './canonical-jws';
import { TokenError } from './errors';
import type { SigningAlg } from './jwks';
import type { SigningKey } from './signing-key';
import { keyResolver, toTokenError } from './verify-access-token';
import type { VerifyOptions } from './verify-access-token';

/** OIDC Core §2: the `typ` of an ID token; an access token says `at+jwt` and is refused. */
const ID_TOKEN_TYP = 'JWT';
const ID_TOKEN_ALGS: SigningAlg[] = ['RS256', 'EdDSA', 'ES256'];

/**
 * The payload of an ID token (OIDC Core §2). The caller assembles it (`azp`, `auth_time`,
 * `nonce`, `at_hash`, `amr`, `acr`, `sid`, profile/email claims…); this library only signs.
 */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  /** Seconds since the epoch. */
  iat: number;
  /** Seconds since the epoch; after `iat`. */
  exp: number;
  [claim: string]: unknown;
}

/** The verified payload of an `id_token_hint`: signature and `iss` checked, `exp` NOT checked. */
export interface IdTokenHintClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  sid?: string;
  [claim: string]: unknown;
}

/** How to check an `id_token_hint`: the tenant's issuer and its published keys. */
export interface IdTokenHintOptions {
  issuer: string;
  /** A JWKS, or a lookup by kid (e.g. a per-tenant cache). */
  keys: VerifyOptions['keys'];
}

function nonEmpty(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

function isAudience(aud: unknown): aud is string | string[] {
  if (typeof aud === 'string') return aud !== '';
  return (
    Array.isArray(aud) &&
    aud.length > 0 &&
    aud.every((value) => typeof value === 'string' && value !== '')
  );
}

/**
 * OIDC Core §3.1.3.6 `at_hash`: the left half of the access token's hash, base64url. The hash
 * is the one of the ID token's `alg`: SHA-256 for RS256 and ES256, SHA-512 for EdDSA over Ed25519
 * (as OpenID Connect's EdDSA registration and certified RPs compute it).
 *
 * @example
 * ```ts
 * const at_hash = atHashOf(accessToken, key.alg);
 * ```
 */
export function atHashOf(accessToken: string, alg: SigningAlg): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * Signs an ID token (OIDC Core §2) with header `{ alg, kid, typ: 'JWT' }`; the key's own `alg`
 * decides. Throws `TypeError`/`RangeError` for claims no ID token may carry.
 *
 * @example
 * ```ts
 * const idToken = await signIdToken(key, { iss, sub, aud: clientId, iat, exp: iat + 300, azp });
 * ```
 */
export async function signIdToken(key: SigningKey, claims: IdTokenClaims): Promise<string> {
  nonEmpty('iss', claims.iss);
  nonEmpty('sub', claims.sub);
  if (!isAudience(claims.aud)) throw new TypeError('aud must be a non-empty string or array');
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp) || claims.exp <= claims.iat) {
    throw new RangeError('iat and exp must be integers with exp after iat');
  }
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ID_TOKEN_TYP })
    .sign(key.privateKey);
}

function toHintClaims(payload: Uint8Array, issuer: string): IdTokenHintClaims {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (cause) {
    throw new TokenError('token_invalid', 'payload_not_json', { cause });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TokenError('token_invalid', 'payload_not_object');
  }
  const { iss, sub, aud, sid } = claims as Record<string, unknown>;
  if (iss !== issuer) throw new TokenError('token_invalid', 'claim_iss_check_failed');
  if (typeof sub !== 'string' || sub === '') {
    throw new TokenError('token_invalid', 'claim_sub_missing');
  }
  if (!isAudience(aud)) throw new TokenError('token_invalid', 'claim_aud_invalid');
  if (sid !== undefined && typeof sid !== 'string') {
    throw new TokenError('token_invalid', 'claim_sid_invalid');
  }
  return claims as IdTokenHintClaims;
}

/**
 * Verifies an `id_token_hint` (RP-Initiated Logout 1.0 §2): a canonical compact JWS, `typ: JWT`
 * (so an `at+jwt` access token is refused), `alg` RS256, EdDSA or ES256 matching the published key that
 * `kid` names, a valid signature, `iss` equal to `issuer`, `sub`/`aud` present. `exp` is
 * deliberately NOT checked: the specification accepts expired hints, because a hint only names
 * who is logging out and grants nothing. Never use this for anything that grants access. Throws
 * `TokenError` with code `token_invalid`.
 *
 * @example
 * ```ts
 * const claims = await verifyIdTokenHint(hint, { issuer, keys: (kid) => keyring.publicKey(kid) });
 * ```
 */
export async function verifyIdTokenHint(
  token: string,
  options: IdTokenHintOptions,
): Promise<IdTokenHintClaims> {
  // One token, one spelling: jose would also accept padded or spare-bit variants of it.
  if (!isCanonicalJws(token)) throw new TokenError('token_invalid', 'jws_not_canonical');
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(token, keyResolver(options.keys), {
      algorithms: ID_TOKEN_ALGS,
    });
  } catch (err) {
    throw toTokenError(err);
  }
  const { protectedHeader, payload } = verified;
  if (protectedHeader.typ !== ID_TOKEN_TYP) throw new TokenError('token_invalid', 'typ_invalid');
  // RFC 7797 unencoded payloads are not JWTs (jwtVerify refuses them too).
  if (protectedHeader.b64 !== undefined) throw new TokenError('token_invalid', 'b64_not_allowed');
  return toHintClaims(payload, options.issuer);
}
