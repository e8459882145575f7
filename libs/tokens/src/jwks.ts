/** Signing algorithms this library issues and accepts. */
export type SigningAlg = 'EdDSA' | 'RS256';

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

/** A public signing key: only the public parameters plus `kid`, `alg` and `use`, never `d`. */
export type PublicJwk = OkpPublicJwk | RsaPublicJwk;

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
  throw new TypeError(`JWK ${kid} is not an Ed25519/EdDSA or RSA/RS256 public key`);
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
