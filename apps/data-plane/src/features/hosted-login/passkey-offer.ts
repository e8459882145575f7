import { randomBytes } from 'node:crypto';
import type { SessionRow } from '@hellojohn/dal';
import type { Request, Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';
import { cookieScope, readCookie, setCookie } from './browser-cookie';

/** "Not now" holds for this long in the browser that said it. */
const NOT_NOW_SECONDS = 30 * 24 * 3600;

/** The cookie that remembers "Not now": `__Host-` on https like the others. */
function notNowCookie(tenant: TenantContext): string {
  return cookieScope(tenant.config).secure ? '__Host-hj_passkey_later' : 'hj_passkey_later';
}

/**
 * Whether to offer a passkey after this sign-in or sign-up: the page script said the browser can
 * use passkeys (`passkeys=1`), the browser has not said "Not now" lately, and the user has no
 * passkey yet (a session that a passkey started has one).
 */
export async function shouldOfferPasskey(
  req: Request,
  tenant: TenantContext,
  session: SessionRow,
  capable: string | undefined,
): Promise<boolean> {
  if (capable !== '1' || session.amr.includes('hwk')) return false;
  if (readCookie(req, notNowCookie(tenant)) !== undefined) return false;
  const passkeys = await tenant.db.mfaFactors.listByUser(session.userId, {
    type: 'webauthn',
    confirmedOnly: true,
  });
  return passkeys.length === 0;
}

/** Remembers "Not now" for this browser (not for the account: another device may well want one). */
export function rememberNotNow(res: Response, tenant: TenantContext): void {
  const scope = cookieScope(tenant.config);
  // The value means nothing; readCookie only accepts base64url of 16+ characters.
  setCookie(
    res,
    scope,
    notNowCookie(tenant),
    randomBytes(16).toString('base64url'),
    NOT_NOW_SECONDS,
  );
}
