import type { AuditLogRepository } from '@hellojohn/dal';
import { createApiRouter, type ApiRouter, type Guard, type Logger } from '@hellojohn/http';
import { Router } from 'express';
import { makeAuditWrite } from '../audit/audit-write.middleware';
import type { AdminsModule } from '../features/admins';
import type { AuditLogModule } from '../features/audit-log';
import type { AuthModule } from '../features/auth';
import type { ClientsModule } from '../features/clients';
import type { InternalApiModule } from '../features/internal-api';
import type { TenantsModule } from '../features/tenants';
import { makeRequireAdmin } from '../guards/require-admin';
import { requireInternalToken } from '../guards/require-internal-token';

/** The feature modules whose routes the table mounts (built by deps.ts). */
interface RoutedModules {
  auth: AuthModule;
  admins: AdminsModule;
  tenants: TenantsModule;
  clients: ClientsModule;
  auditLog: AuditLogModule;
  internalApi: InternalApiModule;
}

/**
 * The control plane's route table: one line per route, guards visible. `owner` may write,
 * `viewer` may only read; every write is audited, whatever its outcome. `limitSignIn` is the
 * admin sign-in budget per client address (built by deps.ts over its limiter store); the
 * per-account limits, which need the outcome, run inside the sign-in itself (`AdminSignInGuard`).
 */
export function routes(
  modules: RoutedModules,
  edge: {
    auditLog: AuditLogRepository;
    logger: Logger;
    internalToken: string;
    limitSignIn: Guard;
  },
): { api: ApiRouter; wellKnown: Router } {
  const requireAdmin = makeRequireAdmin(modules.auth.service);
  const owner = requireAdmin('owner');
  const viewer = requireAdmin('viewer');
  const audit = makeAuditWrite(edge.auditLog, edge.logger);
  const internal = requireInternalToken(edge.internalToken);
  const { limitSignIn } = edge;
  const auth = modules.auth.routes;
  const admins = modules.admins.routes;
  const tenants = modules.tenants.routes;
  const clients = modules.clients.routes;
  const auditLog = modules.auditLog.routes;
  const internalApi = modules.internalApi.routes;

  const api = createApiRouter()
    .post('/v1/auth/sign-in', audit('admin.signed_in'), limitSignIn, auth.signIn)
    .get('/v1/admins', viewer, admins.list)
    .post('/v1/admins', audit('admin.created'), owner, admins.create)
    .delete('/v1/admins/:id', audit('admin.deleted'), owner, admins.remove)
    .get('/v1/tenants', viewer, tenants.list)
    .post('/v1/tenants', audit('tenant.created'), owner, tenants.create)
    .get('/v1/tenants/:tenant', viewer, tenants.get)
    .patch('/v1/tenants/:tenant', audit('tenant.updated'), owner, tenants.update)
    .delete('/v1/tenants/:tenant', audit('tenant.deleted'), owner, tenants.remove)
    .post(
      '/v1/tenants/:tenant/keys/rotate',
      audit('tenant.key_rotation_requested'),
      owner,
      tenants.rotateKeys,
    )
    .get('/v1/tenants/:tenant/clients', viewer, clients.list)
    .post('/v1/tenants/:tenant/clients', audit('client.created'), owner, clients.create)
    .get('/v1/tenants/:tenant/clients/:client_id', viewer, clients.get)
    .patch('/v1/tenants/:tenant/clients/:client_id', audit('client.updated'), owner, clients.update)
    .delete(
      '/v1/tenants/:tenant/clients/:client_id',
      audit('client.deleted'),
      owner,
      clients.remove,
    )
    .post(
      '/v1/tenants/:tenant/clients/:client_id/secret',
      audit('client.secret_rotated'),
      owner,
      clients.rotateSecret,
    )
    .get('/v1/audit-log', viewer, auditLog.list)
    .get('/internal/v1/tenants', internal, internalApi.listTenants)
    .get('/internal/v1/tenants/:tenant', internal, internalApi.getTenant)
    .get('/internal/v1/tenants/:tenant/clients', internal, internalApi.listClients)
    .get('/internal/v1/tenants/:tenant/clients/:client_id', internal, internalApi.getClient);

  const wellKnown = Router();
  wellKnown.get('/.well-known/jwks.json', auth.jwks);
  return { api, wellKnown };
}
