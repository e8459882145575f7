import { createApiRouter, type ApiRouter } from '@hellojohn/http';
import { Router } from 'express';
import { makeRequireAdmin } from '../auth/require-admin';
import { requireInternalToken } from '../auth/require-internal-token';
import { internalTenantRoutes } from '../internal-api/internal-tenants.routes';
import type { Services } from '../deps';
import { authRoutes } from './auth.routes';
import { tenantRoutes } from './tenants.routes';

/** The control plane's route table: one line per route, guards visible. */
export function routes(
  services: Services,
  internalToken: string,
): { api: ApiRouter; wellKnown: Router } {
  const requireAdmin = makeRequireAdmin(services.admins);
  const internal = requireInternalToken(internalToken);
  const auth = authRoutes(services.admins);
  const tenants = tenantRoutes(services.tenants);
  const internalTenants = internalTenantRoutes(services.tenants);

  const api = createApiRouter()
    .post('/v1/auth/sign-in', auth.signIn)
    .get('/v1/tenants', requireAdmin('viewer'), tenants.list)
    .post('/v1/tenants', requireAdmin('owner'), tenants.create)
    .get('/v1/tenants/:tenant', requireAdmin('viewer'), tenants.get)
    .get('/internal/v1/tenants', internal, internalTenants.list)
    .get('/internal/v1/tenants/:tenant', internal, internalTenants.get);

  const wellKnown = Router();
  wellKnown.get('/.well-known/jwks.json', function controlPlaneJwks(_req, res) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(services.adminTokens.jwks());
  });
  return { api, wellKnown };
}
