import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { isCanonicalJws } from './canonical-jws';
import { describeJoseError } from './describe-jose-error';
import { InvalidTokenError } from './invalid-token-error';
import { scopesOf } from './token-claims';
import type { AccessTokenClaims } from './token-claims';

/** The signing algorithms of HelloJohn access tokens (tenant setting `access_token_alg`). */
export type TokenSigningAlg = 'EdDSA' | 'RS256' | 'ES256';

const TOKEN_SIGNING_ALGS: readonly TokenSigningAlg[] = ['EdDSA', 'RS256', 'ES256'];

export interface TokenVerifierOptions {
  /** The tenant issuer, `{HJ_PUBLIC_URL}/t/{slug}`. Give this or `tenantUrl`. */
  issuer?: string;
  /** Same as `issuer`; the name HelloJohn's docs use for a tenant's base URL. */
  tenantUrl?: string;
  /** Accepted `aud` value(s). First-party tokens carry the tenant issuer. */
  audience: string | string[];
  /** Defaults to `${issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /**
   * Accepted `alg` values. Default: all three HelloJohn signs with. Safe as a default because the
   * keys come from the tenant's JWKS, where every key carries its own `alg`, which a token's
   * header must match; narrow it to the tenant's `access_token_alg` to refuse the others.
   */
  algorithms?: TokenSigningAlg[];
  /** Allowed clock skew for `exp`/`iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Every one of these must be in the token's `scope`, else `insufficient_scope`. */
  requiredScopes?: string[];
  /** How long fetched keys are trusted without a refetch, in ms. Default 10 minutes. */
  cacheMaxAgeMs?: number;
  /** A fetch to reach the JWKS with (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface TokenVerifier {
  /** Resolves to the verified claims, or rejects with `InvalidTokenError` (the token's fault) or
   * another error (the JWKS could not be fetched). */
  verify(token: string): Promise<AccessTokenClaims>;
  readonly issuer: string;
}

// An unknown `kid` refetches the JWKS at most once per 30 s, so a flood of forged kids cannot turn
// every request into a fetch, while a freshly rotated key is picked up on its first use.
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_TIMEOUT_MS = 5_000;

function issuerOf(options: TokenVerifierOptions): string {
  const issuer = options.issuer ?? options.tenantUrl;
  if (!issuer) throw new TypeError('requireAuth needs issuer or tenantUrl');
  if (options.issuer && options.tenantUrl && options.issuer !== options.tenantUrl) {
    throw new TypeError('issuer and tenantUrl differ; give one');
  }
  // `iss` is compared exactly (RFC 9068 §4), so a configured trailing slash must not break it.
  return issuer.replace(/\/+$/, '');
}

function algorithmsOf(options: TokenVerifierOptions): TokenSigningAlg[] {
  const algorithms = options.algorithms ?? [...TOKEN_SIGNING_ALGS];
  // A symmetric or `none` alg smuggled in (plain JavaScript callers) would reopen the forgeries
  // that pinning closes.
  const unknown = algorithms.filter((alg) => !TOKEN_SIGNING_ALGS.includes(alg));
  if (algorithms.length === 0 || unknown.length > 0) {
    throw new TypeError(
      `algorithms must be a non-empty subset of ${TOKEN_SIGNING_ALGS.join(', ')}`,
    );
  }
  return [...algorithms];
}

function hasTenantClaims(payload: JWTPayload): payload is AccessTokenClaims {
  return typeof payload.sub === 'string' && typeof payload.tid === 'string';
}

/**
 * Verifies HelloJohn access tokens locally: canonical base64url only (no padding, no spare bits
 * set), EdDSA, RS256 or ES256 (each only with a JWKS key of that `alg`), `typ: at+jwt` (RFC 9068 §4), the issuer and audience you name, keys from the
 * tenant's JWKS (cached; an unknown `kid` refetches at most once per 30 s). No framework needed.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ tenantUrl: 'https://id.example.com/t/acme',
 *   audience: 'https://id.example.com/t/acme' });
 * const claims = await verifier.verify(token);
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const issuer = issuerOf(options);
  const jwksUri = new URL(options.jwksUri ?? `${issuer}/.well-known/jwks.json`);
  const jwks = createRemoteJWKSet(jwksUri, {
    cooldownDuration: JWKS_COOLDOWN_MS,
    cacheMaxAge: options.cacheMaxAgeMs ?? JWKS_CACHE_MAX_AGE_MS,
    timeoutDuration: JWKS_TIMEOUT_MS,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  const required = options.requiredScopes ?? [];
  const algorithms = algorithmsOf(options);

  async function verify(token: string): Promise<AccessTokenClaims> {
    // One token, one spelling: jose would also accept padded or spare-bit variants of it.
    if (!isCanonicalJws(token)) {
      throw new InvalidTokenError('invalid_token', 'The token is malformed');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: options.audience,
        typ: 'at+jwt',
        // Pinning the algorithm defeats `alg: none` and HS256-signed-with-the-public-key forgeries.
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      const description = describeJoseError(error);
      if (description === undefined) throw error;
      throw new InvalidTokenError('invalid_token', description, { cause: error });
    }
    if (!hasTenantClaims(payload)) {
      throw new InvalidTokenError('invalid_token', 'The token has no tid claim');
    }
    const granted = new Set(scopesOf(payload));
    const missing = required.filter((scope) => !granted.has(scope));
    if (missing.length > 0) {
      throw new InvalidTokenError(
        'insufficient_scope',
        `The token lacks scope ${missing.join(' ')}`,
        {
          scope: required.join(' '),
        },
      );
    }
    return payload;
  }

  return { verify, issuer };
}
