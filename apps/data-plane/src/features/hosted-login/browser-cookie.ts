import type { Request, Response } from 'express';
import type { TenantConfig } from '../../tenancy/tenant-config';

/** Where the hosted login's cookies live for one tenant, by its issuer. */
export interface CookieScope {
  secure: boolean;
  /** `/` for `__Host-` cookies (https), else the issuer's path (`/t/{slug}`). */
  path: string;
  session: string;
  interaction: string;
}

/**
 * `__Host-hj_session` / `__Host-hj_interaction` (Secure, Path=/: bound to this host) when the
 * issuer is https; on http (development) plain names scoped to the tenant's path, since
 * `__Host-` requires Secure.
 */
export function cookieScope(tenant: TenantConfig): CookieScope {
  const issuer = new URL(tenant.issuer);
  const secure = issuer.protocol === 'https:';
  return secure
    ? { secure, path: '/', session: '__Host-hj_session', interaction: '__Host-hj_interaction' }
    : { secure, path: issuer.pathname, session: 'hj_session', interaction: 'hj_interaction' };
}

/** The first cookie named `name` (RFC 6265 §5.4 sends the most specific path first). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0 || pair.slice(0, index).trim() !== name) continue;
    const value = pair.slice(index + 1).trim();
    // Our values are base64url; anything else was not set by us.
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** Sets an HttpOnly, SameSite=Lax cookie; a session cookie unless `maxAgeSeconds`. */
export function setCookie(
  res: Response,
  scope: CookieScope,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: scope.secure,
    path: scope.path,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds * 1000 }),
  });
}

export function clearCookie(res: Response, scope: CookieScope, name: string): void {
  res.clearCookie(name, {
    httpOnly: true,
    sameSite: 'lax',
    secure: scope.secure,
    path: scope.path,
  });
}
