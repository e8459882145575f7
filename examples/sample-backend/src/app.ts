import { authOf, requireAuth, requirePermission } from '@hellojohn/sdk';
import express from 'express';
import type { ErrorRequestHandler, Express } from 'express';

export interface SampleBackendOptions {
  /** The tenant's issuer, e.g. `http://localhost:8080/t/acme`. */
  tenantUrl: string;
  /** The `aud` this API accepts. HelloJohn's first-party tokens carry the tenant issuer. */
  audience?: string;
}

/**
 * The whole sample: one public route, one protected by `requireAuth`, which verifies the bearer
 * token against the tenant's JWKS without calling HelloJohn per request, and one that also needs
 * the `docs:write` permission the token carries (a tenant role, or the active organization's).
 *
 * @example
 * ```ts
 * createApp({ tenantUrl: 'http://localhost:8080/t/acme' }).listen(3000);
 * ```
 */
export function createApp(options: SampleBackendOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const authenticated = requireAuth({
    tenantUrl: options.tenantUrl,
    audience: options.audience ?? options.tenantUrl,
  });

  app.get('/healthz', function health(_req, res) {
    res.json({ status: 'ok' });
  });

  app.get('/api/profile', authenticated, function profile(req, res) {
    const { sub, tid } = authOf(req);
    res.json({ user: sub, tenant: tid });
  });

  app.put(
    '/api/docs/:id',
    authenticated,
    requirePermission('docs:write'),
    function saveDoc(req, res) {
      res.json({ saved: req.params['id'], by: authOf(req).sub });
    },
  );

  const onError: ErrorRequestHandler = function onError(error, _req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    // Reached when the tenant's JWKS cannot be fetched: our failure, not the caller's.
    res.status(503).json({ error: 'temporarily_unavailable' });
  };
  app.use(onError);
  return app;
}
