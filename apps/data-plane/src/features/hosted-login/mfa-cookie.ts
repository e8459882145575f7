import type { Request, Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';
import { cookieScope, readCookie } from './browser-cookie';
import { pathsOf } from './page-context';

/** As long as the mfa_token lives (features/mfa: five minutes). */
const MFA_COOKIE_SECONDS = 300;

/**
 * Where a sign-in's mfa_token waits for its second factor: never in a URL (it would reach logs
 * and history), but in an HttpOnly, SameSite=Lax cookie sent only to the MFA pages. On https it
 * is `__Secure-` (a `__Host-` cookie must have Path=/).
 */
function mfaCookieOf(tenant: TenantContext) {
  const { secure } = cookieScope(tenant.config);
  return {
    name: secure ? '__Secure-hj_mfa' : 'hj_mfa',
    options: {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure,
      path: pathsOf(tenant).mfa,
    },
  };
}

export function setMfaCookie(res: Response, tenant: TenantContext, mfaToken: string): void {
  const cookie = mfaCookieOf(tenant);
  res.cookie(cookie.name, mfaToken, { ...cookie.options, maxAge: MFA_COOKIE_SECONDS * 1000 });
}

export function readMfaCookie(req: Request, tenant: TenantContext): string | undefined {
  return readCookie(req, mfaCookieOf(tenant).name);
}

export function clearMfaCookie(res: Response, tenant: TenantContext): void {
  const cookie = mfaCookieOf(tenant);
  res.clearCookie(cookie.name, cookie.options);
}

/** The page a sign-in continues on once its first factor passed and a second is asked for. */
export function mfaPageOf(tenant: TenantContext, handle: string, enrolment: boolean): string {
  const paths = pathsOf(tenant);
  return `${enrolment ? paths.mfaEnrol : paths.mfa}?tx=${handle}`;
}
