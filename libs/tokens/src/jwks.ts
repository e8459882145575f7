/**
 * The asymmetric JWS algorithms an access token may be signed with: EdDSA (Ed25519, the default),
 * RS256 and ES256 (for verifiers without EdDSA, such as `jsonwebtoken` 9).
 *
 * @example
 * ```ts
 * const alg = z.enum(ACCESS_TOKEN_ALGS).default('EdDSA');
 * ```
 */
export const ACCESS_TOKEN_ALGS = ['EdDSA', 'RS256', 'ES256'] as const;

/** One of {@link ACCESS_TOKEN_ALGS}. */
export type AccessTokenAlg = (typeof ACCESS_TOKEN_ALGS)[number];

/** Signing algorithms this library issues and accepts. */
export type SigningAlg = AccessTokenAlg;

/** An Ed25519 public key as published in a JWKS (RFC 8037 §2). */
export interface OkpPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** An RSA public key as published in a JWKS (RFC 7518 §6.3.1). */
export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** A P-256 public key as published in a JWKS (RFC 7518 §6.2.1). */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** A public signing key: only the public parameters plus `kid`, `alg` and `use`, never `d`. */
export type PublicJwk = OkpPublicJwk | RsaPublicJwk | EcPublicJwk;

/** A JSON Web Key Set (RFC 7517 §5). */
export interface Jwks {
  keys: PublicJwk[];
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function b64url(value: unknown): value is string {
  return typeof value === 'string' && B64URL.test(value);
}

/**
 * Copies only the public members of a JWK-shaped value, so a private JWK (with `d`, `p`, `q`…)
 * or any unknown member can never be published. Throws `TypeError` if it is not a usable public
 * signing key.
 *
 * @example
 * ```ts
 * const jwk = parsePublicJwk(JSON.parse(row.public_jwk));
 * ```
 */
export function parsePublicJwk(value: unknown): PublicJwk {
  if (typeof value !== 'object' || value === null) throw new TypeError('JWK must be an object');
  const jwk = value as Record<string, unknown>;
  const { kid, use } = jwk;
  if (typeof kid !== 'string' || kid === '') throw new TypeError('JWK needs a kid');
  if (use !== undefined && use !== 'sig') throw new TypeError('JWK use must be "sig"');
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.alg === 'EdDSA' && b64url(jwk.x)) {
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' };
  }
  if (jwk.kty === 'RSA' && jwk.alg === 'RS256' && b64url(jwk.n) && b64url(jwk.e)) {
    return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
  }
  if (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    jwk.alg === 'ES256' &&
    b64url(jwk.x) &&
    b64url(jwk.y)
  ) {
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
  }
  throw new TypeError(`JWK ${kid} is not an Ed25519/EdDSA, RSA/RS256 or P-256/ES256 public key`);
}

/**
 * Builds the document served at `/.well-known/jwks.json`: public members only, first key per
 * `kid` wins (RFC 7517 §4.5: kids should be unique within a set).
 *
 * @example
 * ```ts
 * res.json(buildJwks(activeKeys.map((k) => k.publicJwk)));
 * ```
 */
export function buildJwks(keys: ReadonlyArray<PublicJwk>): Jwks {
  const byKid = new Map<string, PublicJwk>();
  for (const key of keys) {
    const jwk = parsePublicJwk(key);
    if (!byKid.has(jwk.kid)) byKid.set(jwk.kid, jwk);
  }
  return { keys: [...byKid.values()] };
}
