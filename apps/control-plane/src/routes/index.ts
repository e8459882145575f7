import { createApiRouter, type ApiRouter } from '@hellojohn/http';
import { Router } from 'express';
import { makeRequireAdmin } from '../auth/require-admin';
import { requireInternalToken } from '../auth/require-internal-token';
import { limitAdminSignIn } from '../auth/sign-in-limit';
import type { Deps } from '../deps';
import { internalClientRoutes } from '../internal-api/internal-clients.routes';
import { internalTenantRoutes } from '../internal-api/internal-tenants.routes';
import { makeAudit } from '../services/audit';
import { adminRoutes } from './admins.routes';
import { auditLogRoutes } from './audit-log.routes';
import { authRoutes } from './auth.routes';
import { clientRoutes } from './clients.routes';
import { tenantRoutes } from './tenants.routes';

/**
 * The control plane's route table: one line per route, guards visible. `owner` may write,
 * `viewer` may only read; every write is audited, whatever its outcome.
 */
export function routes(deps: Deps): { api: ApiRouter; wellKnown: Router } {
  const { services } = deps;
  const requireAdmin = makeRequireAdmin(services.admins);
  const owner = requireAdmin('owner');
  const viewer = requireAdmin('viewer');
  const audit = makeAudit(deps.db, deps.logger);
  const internal = requireInternalToken(deps.config.internalToken);
  const auth = authRoutes(services.admins);
  const admins = adminRoutes(services.admins);
  const tenants = tenantRoutes(services.tenants);
  const auditLog = auditLogRoutes(deps.db);
  const internalTenants = internalTenantRoutes(services.tenants);
  const clients = clientRoutes(services.clients);
  const internalClients = internalClientRoutes(services.clients);

  const api = createApiRouter()
    .post('/v1/auth/sign-in', audit('admin.sign_in'), limitAdminSignIn(), auth.signIn)
    .get('/v1/admins', viewer, admins.list)
    .post('/v1/admins', audit('admin.create'), owner, admins.create)
    .delete('/v1/admins/:id', audit('admin.delete'), owner, admins.remove)
    .get('/v1/tenants', viewer, tenants.list)
    .post('/v1/tenants', audit('tenant.create'), owner, tenants.create)
    .get('/v1/tenants/:tenant', viewer, tenants.get)
    .patch('/v1/tenants/:tenant', audit('tenant.update'), owner, tenants.update)
    .delete('/v1/tenants/:tenant', audit('tenant.delete'), owner, tenants.remove)
    .post('/v1/tenants/:tenant/keys/rotate', audit('tenant.keys.rotate'), owner, tenants.rotateKeys)
    .get('/v1/tenants/:tenant/clients', viewer, clients.list)
    .post('/v1/tenants/:tenant/clients', audit('client.create'), owner, clients.create)
    .get('/v1/tenants/:tenant/clients/:client_id', viewer, clients.get)
    .patch('/v1/tenants/:tenant/clients/:client_id', audit('client.update'), owner, clients.update)
    .delete('/v1/tenants/:tenant/clients/:client_id', audit('client.delete'), owner, clients.remove)
    .post(
      '/v1/tenants/:tenant/clients/:client_id/secret',
      audit('client.secret.rotate'),
      owner,
      clients.rotateSecret,
    )
    .get('/v1/audit-log', viewer, auditLog.list)
    .get('/internal/v1/tenants', internal, internalTenants.list)
    .get('/internal/v1/tenants/:tenant', internal, internalTenants.get)
    .get('/internal/v1/tenants/:tenant/clients', internal, internalClients.list)
    .get('/internal/v1/tenants/:tenant/clients/:client_id', internal, internalClients.get);

  const wellKnown = Router();
  wellKnown.get('/.well-known/jwks.json', function controlPlaneJwks(_req, res) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(services.adminTokens.jwks());
  });
  return { api, wellKnown };
}
