/** What the issuer supplies to mint an access token. */
export interface AccessTokenInput {
  /** Tenant issuer, `{HJ_PUBLIC_URL}/t/{slug}`. */
  issuer: string;
  audience: string | string[];
  subject: string;
  /** Tenant UUID, carried as `tid`. */
  tenantId: string;
  /** Session id, carried as `sid`. */
  sessionId?: string;
  /** Space-separated scopes (RFC 9068 §2.2.3). */
  scope?: string;
  ttlSeconds: number;
  /** Authentication methods (RFC 8176), e.g. `["pwd", "otp", "mfa"]`; omitted when empty. */
  amr?: readonly string[];
  /** Authentication context class, e.g. `urn:hellojohn:loa:2`. */
  acr?: string;
  /** More claims (e.g. `org_id`, `permissions`); may not shadow a registered claim. */
  extra?: Record<string, unknown>;
}

/** The verified payload of an access token. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  tid: string;
  sid?: string;
  scope?: string;
  amr?: string[];
  acr?: string;
  [claim: string]: unknown;
}

/** Claims the library sets itself; `extra` may not override them. */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'tid',
  'sid',
  'scope',
  'amr',
  'acr',
]);

/** RFC 9068 §2.1: the media type of a JWT access token. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
