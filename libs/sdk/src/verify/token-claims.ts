import type { JWTPayload } from 'jose';

/** The verified claims of a HelloJohn access token (docs/api.md, RFC 9068 §2.2). */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  /** Tenant UUID. */
  tid: string;
  /** Session id; present on tokens issued to a signed-in user. */
  sid?: string;
  /** Space-separated scopes (RFC 9068 §2.2.3). */
  scope?: string;
  /** Keys of the user's tenant roles (first-party tokens; docs/organizations.md). */
  roles?: string[];
  /** The granted `resource:action` permissions: the active organization role's, else the tenant roles'. */
  permissions?: string[];
  /** `true` instead of `permissions` past the token size budget: ask userinfo or introspection. */
  permissions_ref?: boolean;
  /** The session's active organization. */
  org_id?: string;
  /** The user's role in the active organization. */
  org_role?: string;
}

/** What `requireAuth` puts on `req.auth`. */
export interface AuthInfo {
  sub: string;
  tid: string;
  sid: string | undefined;
  /** The granted scopes, split on spaces. */
  scope: string[];
  claims: AccessTokenClaims;
}

/** RFC 9068 §2.2.3: `scope` is a space-delimited list. */
export function scopesOf(claims: { scope?: unknown }): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}
