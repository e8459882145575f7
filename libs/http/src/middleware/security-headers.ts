import type { RequestHandler } from 'express';

/** One year, helmet's default; `includeSubDomains` as the services own their host names. */
const HSTS = 'max-age=31536000; includeSubDomains';

/** JSON answers are never rendered: nothing may load from them, and no page may frame them. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers of every answer, each of which a route may still override with its own value:
 *
 * - `Cache-Control: no-store`: API answers carry tokens, users and tenant data; a route that is
 *   meant to be cached (JWKS, discovery) sets its own policy;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (HTML pages and
 *   `/docs` set their own);
 * - `Strict-Transport-Security` only when the request came over HTTPS (`req.secure`, which
 *   believes `X-Forwarded-Proto` only from a trusted proxy): RFC 6797 §7.2 says a host must not
 *   send it over plain HTTP, where an attacker could strip or forge it anyway.
 */
export function securityHeaders(): RequestHandler {
  return function setSecurityHeaders(req, res, next) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_POLICY);
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}

/**
 * The policy of `/docs` (Swagger UI): its scripts are files of its own (no inline script, no
 * eval), its stylesheet needs inline styles and `data:` images, and "Try it out" calls this
 * origin and the documented server's (`serverUrl`). Its static files keep their own caching.
 */
export function docsSecurityPolicy(serverUrl: string | undefined): RequestHandler {
  let serverOrigin: string | undefined;
  try {
    serverOrigin = serverUrl ? new URL(serverUrl).origin : undefined;
  } catch {
    serverOrigin = undefined;
  }
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...(serverOrigin ? [serverOrigin] : [])].join(' '),
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return function setDocsPolicy(_req, res, next) {
    res.setHeader('Content-Security-Policy', policy);
    res.removeHeader('Cache-Control');
    next();
  };
}
