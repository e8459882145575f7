import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';

const MAX_AGE_MS = 10 * 60_000;

/**
 * The cookie that binds an upstream round trip's `state` to the browser that started it (RFC
 * 6749 §10.12, login CSRF). Scoped to the federation paths. `SameSite=None` on https, since
 * `form_post` providers (Apple) POST the callback cross-site; on plain-http localhost `Lax`.
 */
function bindingCookie(tenant: TenantContext) {
  const issuer = new URL(tenant.config.issuer);
  const secure = issuer.protocol === 'https:';
  return {
    name: secure ? '__Secure-hj_fed' : 'hj_fed',
    options: {
      httpOnly: true,
      secure,
      sameSite: secure ? ('none' as const) : ('lax' as const),
      path: `${issuer.pathname.replace(/\/$/, '')}/login/federated`,
    },
  };
}

export function setBinding(res: Response, tenant: TenantContext, state: string): void {
  const cookie = bindingCookie(tenant);
  res.cookie(cookie.name, state, { ...cookie.options, maxAge: MAX_AGE_MS });
}

export function clearBinding(res: Response, tenant: TenantContext): void {
  const cookie = bindingCookie(tenant);
  res.clearCookie(cookie.name, cookie.options);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the callback's `state` is the one this browser's cookie holds (constant time). */
export function bindingMatches(req: Request, tenant: TenantContext, state: string): boolean {
  const name = bindingCookie(tenant).name;
  const header = req.headers.cookie ?? '';
  const value = header
    .split(';')
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  if (value === undefined || state === '') return false;
  return timingSafeEqual(digest(value), digest(state));
}
