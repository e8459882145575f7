import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** One year, helmet's default; `includeSubDomains` as the services own their host names. */
const HSTS = 'max-age=31536000; includeSubDomains';

/** JSON answers are never rendered: nothing may load from them, and no page may frame them. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** One header operation of helmet's: set a field, or remove one. */
type HeaderStep = readonly [name: string, value: string | undefined];

/**
 * What helmet (CSP and HSTS off: set below) does to every answer, asked once at start-up by
 * running it against a recording response. Its eleven middlewares then cost one loop per request
 * instead of a chain of eleven calls, and the headers stay exactly helmet's, whatever version.
 */
function helmetSteps(): readonly HeaderStep[] {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      steps.push([name, String(value)]);
    },
    removeHeader(name: string) {
      steps.push([name, undefined]);
    },
  };
  const outcome: { finished: boolean; error: unknown } = { finished: false, error: undefined };
  const middleware = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false });
  (middleware as unknown as (req: object, res: object, next: (error?: unknown) => void) => void)(
    {},
    recorder,
    (error) => {
      outcome.finished = true;
      outcome.error = error;
    },
  );
  // helmet's middlewares are synchronous and never fail; anything else is a change to fail on.
  if (!outcome.finished || outcome.error !== undefined) {
    throw new Error('helmet did not finish synchronously without error', { cause: outcome.error });
  }
  return Object.freeze(steps);
}

/**
 * Headers of every answer, each of which a route may still override with its own value:
 *
 * - helmet's defaults except CSP and HSTS (`Cross-Origin-Opener-Policy`, `X-Frame-Options`,
 *   `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, ...; see `helmetSteps`);
 * - `Cache-Control: no-store`: API answers carry tokens, users and tenant data; a route that is
 *   meant to be cached (JWKS, discovery) sets its own policy;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (HTML pages and
 *   `/docs` set their own);
 * - `Strict-Transport-Security` only when the request came over HTTPS (`req.secure`, which
 *   believes `X-Forwarded-Proto` only from a trusted proxy): RFC 6797 §7.2 says a host must not
 *   send it over plain HTTP, where an attacker could strip or forge it anyway.
 */
export function securityHeaders(): RequestHandler {
  const steps = helmetSteps();
  return function setSecurityHeaders(req, res, next) {
    for (const [name, value] of steps) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_POLICY);
    // `req.secure` asks the trust-proxy check; a plain socket without X-Forwarded-Proto is not
    // HTTPS whoever sent it, so that common case skips it.
    const maybeSecure =
      (req.socket as { encrypted?: boolean }).encrypted === true ||
      req.headers['x-forwarded-proto'] !== undefined;
    if (maybeSecure && req.secure) res.setHeader('Strict-Transport-Security', HSTS);
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
