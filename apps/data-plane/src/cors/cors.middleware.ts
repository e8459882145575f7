import { AppError } from '@hellojohn/http';
import type { Request, RequestHandler, Response } from 'express';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import { corsPathOf } from './cors-paths';
import type { TenantOrigins } from './tenant-origins';

/** Request headers a browser app may send (oidc-client-ts, fetch with a bearer, DPoP later). */
const ALLOW_HEADERS = 'Authorization, Content-Type, DPoP, X-Request-ID';
/** Response headers a browser app may read: oidc-client-ts reads `WWW-Authenticate`. */
const EXPOSE_HEADERS = 'WWW-Authenticate, Retry-After, X-Request-ID';
/** How long (seconds) a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE = '600';
/** No registered origin is longer (the control plane's check-origin.ts). */
const MAX_ORIGIN_LENGTH = 300;

/**
 * CORS for browser apps (docs/oidc.md, "CORS"), before every route. Only on the paths of
 * `corsPathOf`, and only for an origin in the union of the tenant's clients' `allowed_origins`:
 *
 * - A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here: `204` with
 *   `Access-Control-Allow-Origin` (the request's origin, never `*`), `-Allow-Methods`,
 *   `-Allow-Headers`, `-Max-Age`; an origin not allowed or an unknown tenant gets `403` and no
 *   `Access-Control-*` header; tenant or client configuration unavailable (nothing cached) `503`.
 * - Other requests from an allowed origin go on to their route with `Access-Control-Allow-Origin`
 *   and `Access-Control-Expose-Headers` set (kept on error answers too); from any other origin, or
 *   when the configuration cannot be read, they go on without (fail closed, never a 500).
 * - Never `Access-Control-Allow-Credentials`: these endpoints take no cookies.
 *
 * Every answer on a CORS path carries `Vary: Origin` (discovery and JWKS are publicly cacheable).
 * A request without `Origin` (servers, same-origin GETs) costs a path test and no lookup.
 */
export function corsMiddleware(deps: {
  directory: TenantDirectory;
  origins: TenantOrigins;
  /**
   * The operator console's origin (that of `HJ_CP_URL`, which serves it at `/console/`): allowed
   * on every CORS path and on `/readyz`, for every tenant, so the console can call the admin
   * routes with its operator bearer (docs/console.md). Safe: these answers take no cookies, and
   * the bearer, not the origin, authorizes.
   */
  consoleOrigin?: string;
}): RequestHandler {
  async function isAllowed(ref: string, origin: string): Promise<boolean> {
    if (origin.length > MAX_ORIGIN_LENGTH) return false;
    const tenant = await deps.directory.resolve(ref);
    if (!tenant || tenant.status !== 'active') return false;
    return deps.origins.allows(tenant.id, origin);
  }

  return async function cors(req, res, next) {
    const origin = req.headers.origin;
    if (origin !== undefined && origin === deps.consoleOrigin) {
      const consolePath = req.path === '/readyz' ? { methods: 'GET' } : corsPathOf(req.path);
      if (consolePath !== undefined) {
        answerConsole(req.method, req.headers, res, origin, consolePath.methods);
        if (!res.headersSent) next();
        return;
      }
    }
    const path = corsPathOf(req.path);
    if (path === undefined) {
      next();
      return;
    }
    res.vary('Origin');
    if (origin === undefined) {
      next();
      return;
    }

    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      let allowed: boolean;
      try {
        allowed = await isAllowed(path.tenant, origin);
      } catch (error) {
        next(
          new AppError('service_unavailable', 'Client configuration is unavailable.', {
            cause: error,
            headers: { 'Retry-After': '5' },
          }),
        );
        return;
      }
      if (!allowed) {
        next(new AppError('forbidden', "The origin is not in this tenant's allowed_origins."));
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', path.methods);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
      res.status(204).end();
      return;
    }

    // The route answers whatever happens here: CORS headers or none, never an error of ours.
    const allowed = await isAllowed(path.tenant, origin).catch(() => false);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    next();
  };
}

/** The console origin's answer: a preflight ends here (204); any other request goes on. */
function answerConsole(
  method: string,
  headers: Request['headers'],
  res: Response,
  origin: string,
  methods: string,
): void {
  res.vary('Origin');
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (method === 'OPTIONS' && headers['access-control-request-method'] !== undefined) {
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
    res.status(204).end();
    return;
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
}
