import { ACCESS_TOKEN_ALGS, type AccessTokenAlg } from '@hellojohn/tokens';

/**
 * When a rotated key is published, starts signing and leaves the JWKS. The numbers are tied
 * together: a verifier that fetched the JWKS just before the new key appeared must have refetched
 * it before the key signs anything, so no verifier ever meets an unknown `kid`.
 */

/** `Cache-Control: max-age` of the tenant JWKS (keys/jwks.routes.ts). */
export const JWKS_MAX_AGE_SECONDS = 300;

/** How long a data-plane replica serves its cached key set before reading it again. */
export const KEYRING_CACHE_SECONDS = 60;

/**
 * A `next` key signs this long after it is inserted: another replica may publish a JWKS without it
 * for up to {@link KEYRING_CACHE_SECONDS}, a verifier may cache that JWKS for up to
 * {@link JWKS_MAX_AGE_SECONDS}; 30 s more covers clock skew between them.
 */
export const KEY_ACTIVATION_DELAY_SECONDS = JWKS_MAX_AGE_SECONDS + KEYRING_CACHE_SECONDS + 30;

/** Beyond the lifetime of the last token a key signed, it stays published this long (clock skew). */
export const KEY_RETIREMENT_GRACE_SECONDS = 300;

/**
 * The longest token lifetime a tenant can configure (`access_token_ttl` max): used to retire a key
 * whose retirement was not planned at rotation (a crash in between), erring on the safe side.
 */
export const MAX_TOKEN_TTL_SECONDS = 86_400;

/**
 * The algorithms every tenant holds one active key of, all published and rotated together: EdDSA
 * signs access tokens by default, RS256 ID tokens (OIDC Core §15.1 requires RS256 support), and
 * RS256 or ES256 access tokens for verifiers without EdDSA (tenant `access_token_alg`).
 */
export const TENANT_KEY_ALGS = ACCESS_TOKEN_ALGS;
export type TenantKeyAlg = AccessTokenAlg;

const seconds = (at: Date, s: number): Date => new Date(at.getTime() + s * 1000);

/** When a key rotated in at `now` starts signing. */
export const activationOf = (now: Date): Date => seconds(now, KEY_ACTIVATION_DELAY_SECONDS);

/** When a key that stops signing at `lastSignedAt` may leave the JWKS. */
export const retirementOf = (lastSignedAt: Date, tokenTtlSeconds: number): Date =>
  seconds(lastSignedAt, tokenTtlSeconds + KEY_RETIREMENT_GRACE_SECONDS);
