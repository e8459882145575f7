import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * CSRF tokens of the hosted pages: HMAC-SHA256 over the interaction cookie and the page's
 * transaction handle (or purpose), so a token is good only in the browser that holds the cookie
 * and only for its own transaction (OWASP signed double-submit cookie). Nothing is stored.
 */
export interface Csrf {
  token(interaction: string, bound: string): string;
  verify(interaction: string | undefined, bound: string, token: unknown): boolean;
}

export function createCsrf(key: Buffer): Csrf {
  const token = (interaction: string, bound: string) =>
    createHmac('sha256', key).update(`${interaction}\u0000${bound}`).digest('base64url');
  return {
    token,
    verify(interaction, bound, presented) {
      if (interaction === undefined || typeof presented !== 'string') return false;
      const expected = Buffer.from(token(interaction, bound));
      const given = Buffer.from(presented);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/**
 * False for a request another site sent: an `Origin` that is not the issuer's, or
 * `Sec-Fetch-Site: cross-site`. `Origin: null` passes (the CSRF token still decides): browsers
 * send it for our own forms, because the pages are served with `Referrer-Policy: no-referrer`.
 */
export function isSameSite(req: Request, issuer: string): boolean {
  if (req.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.get('origin');
  if (origin === undefined || origin === 'null') return true;
  return origin === new URL(issuer).origin;
}
