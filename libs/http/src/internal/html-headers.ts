import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** The CSP `'sha256-…'` source of an inline `<style>` body (CSP Level 3 §2.3.1 hash-source). */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** The same for an inline `<script>` body. */
const scriptHash = styleHash;

/** What one page adds to the policy of {@link setHtmlHeaders}; see `allowOnPage`. */
interface PageAllowances {
  formAction: string[];
  images: string[];
  styleHashes: string[];
  scriptHashes: string[];
  /** Script files of this origin, and calls back to it (`script-src`/`connect-src 'self'`). */
  ownScripts: boolean;
}

const ORIGIN = /^https?:\/\/[a-z0-9.\-[\]:]+$/i;

const allowances = new WeakMap<Response, PageAllowances>();

/**
 * Lets the page about to be sent on `res` post forms to more origins (`formAction`: exact
 * origins such as `https://app.example.com`) and use inline `<style>` bodies (`inlineStyles`,
 * allowed by their hash), show images from more origins (`images`: tenant and client logos) and
 * run inline scripts (`inlineScripts`, by hash: the OAuth form_post page's auto-submit) or script
 * files served by this origin that call back to it (`ownScripts`: progressive enhancements such as
 * the passkey buttons; `script-src 'self'` and `connect-src 'self'`, still no inline script). Chromium
 * applies `form-action` to the redirects after a form POST (w3c/webappsec-csp#8), so a sign-in
 * form that ends in a 303 to a client's redirect_uri must allow that origin.
 *
 * @example
 * allowOnPage(res, { formAction: ['https://app.example.com'], inlineStyles: [css] });
 */
export function allowOnPage(
  res: Response,
  add: {
    formAction?: readonly string[];
    images?: readonly string[];
    inlineStyles?: readonly string[];
    inlineScripts?: readonly string[];
    ownScripts?: boolean;
  },
): void {
  const current = allowances.get(res) ?? {
    formAction: [],
    images: [],
    styleHashes: [],
    scriptHashes: [],
    ownScripts: false,
  };
  if (add.ownScripts === true) current.ownScripts = true;
  const addOrigins = (list: string[], origins: readonly string[] = []) => {
    for (const origin of origins) {
      // Only an origin may be named: no space, quote or `;` can smuggle in another directive.
      if (!ORIGIN.test(origin)) throw new Error(`${JSON.stringify(origin)} is not an origin`);
      if (!list.includes(origin)) list.push(origin);
    }
  };
  addOrigins(current.formAction, add.formAction);
  addOrigins(current.images, add.images);
  for (const css of add.inlineStyles ?? []) current.styleHashes.push(styleHash(css));
  for (const js of add.inlineScripts ?? []) current.scriptHashes.push(scriptHash(js));
  allowances.set(res, current);
}

/**
 * Headers of every HTML answer. The policy allows no script unless the page asks (`allowOnPage`),
 * and styles and images only from this origin (plus the hashed inline styles given); forms may
 * post only here, and no other site may frame the page, which stops clickjacking of sign-in forms
 * (CSP Level 3; `frame-ancestors` supersedes `X-Frame-Options`). `base-uri` is not covered by `default-src`, so it is set too.
 */
export function setHtmlHeaders(res: Response, inlineStyleHashes: readonly string[] = []): void {
  const extra = allowances.get(res);
  const policy = [
    "default-src 'none'",
    ...(extra && (extra.ownScripts || extra.scriptHashes.length > 0)
      ? [['script-src', ...(extra.ownScripts ? ["'self'"] : []), ...extra.scriptHashes].join(' ')]
      : []),
    ...(extra?.ownScripts ? ["connect-src 'self'"] : []),
    ['style-src', "'self'", ...inlineStyleHashes, ...(extra?.styleHashes ?? [])].join(' '),
    ['img-src', "'self'", ...(extra?.images ?? [])].join(' '),
    // Chromium applies form-action to the redirects that follow a form POST
    // (w3c/webappsec-csp#8): pages whose forms end in a 303 to a client add its origin.
    ['form-action', "'self'", ...(extra?.formAction ?? [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  res.setHeader('Content-Security-Policy', policy);
  // Pages may carry handles in their URLs (`?tx=`): no other site learns them (RFC 9700 §4.2.4).
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Pages carry per-user state (CSRF tokens, the signed-in account): never store them, unless the
  // handler chose a caching policy itself.
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
  res.type('html');
}
