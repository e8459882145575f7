import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** The CSP `'sha256-…'` source of an inline `<style>` body (CSP Level 3 §2.3.1 hash-source). */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * Headers of every HTML answer. The policy allows no script at all and styles and images only from
 * this origin (plus the hashed inline styles given); forms may post only here, and no other site
 * may frame the page, which stops clickjacking of sign-in forms (CSP Level 3; `frame-ancestors`
 * supersedes `X-Frame-Options`). `base-uri` is not covered by `default-src`, so it is set too.
 */
export function setHtmlHeaders(res: Response, inlineStyleHashes: readonly string[] = []): void {
  const policy = [
    "default-src 'none'",
    ['style-src', "'self'", ...inlineStyleHashes].join(' '),
    "img-src 'self'",
    // TODO(hosted-login): Chromium applies form-action to the redirects that follow a form POST
    // (w3c/webappsec-csp#8), so a sign-in form that ends in a 303 to a client's redirect_uri needs
    // that origin allowed here, or must land on a page of ours first.
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  res.setHeader('Content-Security-Policy', policy);
  // Pages carry per-user state (CSRF tokens, the signed-in account): never store them, unless the
  // handler chose a caching policy itself.
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
  res.type('html');
}
