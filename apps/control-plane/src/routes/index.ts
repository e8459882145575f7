import type { AuditLogRepository } from '@hellojohn/dal';
import { createApiRouter, type ApiRouter, type Guard, type Logger } from '@hellojohn/http';
import { Router } from 'express';
import { makeAuditWrite } from '../audit/audit-write.middleware';
import type { AdminsModule } from '../features/admins';
import type { ApiKeysModule } from '../features/api-keys';
import type { AuditLogModule } from '../features/audit-log';
import type { AuthModule } from '../features/auth';
import type { ClientsModule } from '../features/clients';
import type { InternalApiModule } from '../features/internal-api';
import type { IdentityProvidersModule } from '../features/identity-providers';
import type { ResourcesModule } from '../features/resources';
import type { TenantsModule } from '../features/tenants';
import type { WebhooksModule } from '../features/webhooks';
import { makeRequireAdmin } from '../guards/require-admin';
import { requireInternalToken } from '../guards/require-internal-token';

/** The feature modules whose routes the table mounts (built by deps.ts). */
interface RoutedModules {
  auth: AuthModule;
  admins: AdminsModule;
  apiKeys: ApiKeysModule;
  tenants: TenantsModule;
  clients: ClientsModule;
  resources: ResourcesModule;
  identityProviders: IdentityProvidersModule;
  auditLog: AuditLogModule;
  internalApi: InternalApiModule;
  webhooks: WebhooksModule;
}

/**
 * The control plane's route table: one line per route, guards visible. Operators (admins and API
 * keys) rank `owner` > `admin` > `viewer`, on every tenant or a list; every write is audited,
 * whatever its outcome. `limitSignIn` is the
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
  // Operator grants (docs/api.md, "Operators"): a `:tenant` outside the caller's tenants is 404;
  // `global` routes need a grant on every tenant. `admin` manages tenants' content.
  const requireAdmin = makeRequireAdmin({
    admins: modules.auth.service,
    apiKeys: modules.apiKeys.service,
    tenantIdOf: (ref) => modules.tenants.service.idOf(ref),
  });
  const owner = requireAdmin('owner');
  const admin = requireAdmin('admin');
  const viewer = requireAdmin('viewer');
  const globalOwner = requireAdmin('owner', { global: true });
  const globalAdmin = requireAdmin('admin', { global: true });
  const globalViewer = requireAdmin('viewer', { global: true });
  const audit = makeAuditWrite(edge.auditLog, edge.logger);
  const internal = requireInternalToken(edge.internalToken);
  const { limitSignIn } = edge;
  const auth = modules.auth.routes;
  const admins = modules.admins.routes;
  const apiKeys = modules.apiKeys.routes;
  const tenants = modules.tenants.routes;
  const clients = modules.clients.routes;
  const resources = modules.resources.routes;
  const identityProviders = modules.identityProviders.routes;
  const auditLog = modules.auditLog.routes;
  const internalApi = modules.internalApi.routes;
  const webhooks = modules.webhooks.routes;

  const api = createApiRouter()
    .post('/v1/auth/sign-in', audit('admin.signed_in'), limitSignIn, auth.signIn)
    .post('/v1/auth/refresh', audit('admin.refreshed'), auth.refresh)
    .post('/v1/auth/sign-out', audit('admin.signed_out'), auth.signOut)
    .post('/v1/auth/mfa/verify', audit('admin.mfa_verified'), limitSignIn, auth.verifyMfa)
    .post(
      '/v1/auth/invitations/accept',
      audit('admin.invitation_accepted'),
      limitSignIn,
      auth.acceptInvitation,
    )
    .post('/v1/auth/totp', audit('admin.totp_enrolment_started'), viewer, auth.enrolTotp)
    .post('/v1/auth/totp/confirm', audit('admin.totp_enrolled'), viewer, auth.confirmTotp)
    .delete('/v1/auth/totp', audit('admin.totp_removed'), viewer, auth.removeTotp)
    .get('/v1/admins', globalViewer, admins.list)
    .post('/v1/admins', audit('admin.created'), globalOwner, admins.create)
    .post(
      '/v1/admins/:id/invitation',
      audit('admin.invitation_resent'),
      globalOwner,
      admins.resendInvitation,
    )
    .patch('/v1/admins/:id', audit('admin.updated'), globalOwner, admins.update)
    .delete('/v1/admins/:id', audit('admin.deleted'), globalOwner, admins.remove)
    .get('/v1/api-keys', globalOwner, apiKeys.list)
    .post('/v1/api-keys', audit('api_key.created'), globalOwner, apiKeys.create)
    .delete('/v1/api-keys/:id', audit('api_key.revoked'), globalOwner, apiKeys.revoke)
    .post('/v1/api-keys/:id/rotate', audit('api_key.rotated'), globalOwner, apiKeys.rotate)
    .get('/v1/tenants', viewer, tenants.list)
    .post('/v1/tenants', audit('tenant.created'), globalAdmin, tenants.create)
    .get('/v1/tenants/:tenant', viewer, tenants.get)
    .patch('/v1/tenants/:tenant', audit('tenant.updated'), admin, tenants.update)
    .delete('/v1/tenants/:tenant', audit('tenant.deleted'), owner, tenants.remove)
    .post(
      '/v1/tenants/:tenant/keys/rotate',
      audit('tenant.key_rotation_requested'),
      admin,
      tenants.rotateKeys,
    )
    .get('/v1/tenants/:tenant/clients', viewer, clients.list)
    .post('/v1/tenants/:tenant/clients', audit('client.created'), admin, clients.create)
    .get('/v1/tenants/:tenant/clients/:client_id', viewer, clients.get)
    .patch('/v1/tenants/:tenant/clients/:client_id', audit('client.updated'), admin, clients.update)
    .delete(
      '/v1/tenants/:tenant/clients/:client_id',
      audit('client.deleted'),
      admin,
      clients.remove,
    )
    .post(
      '/v1/tenants/:tenant/clients/:client_id/secret',
      audit('client.secret_rotated'),
      admin,
      clients.rotateSecret,
    )
    .get('/v1/tenants/:tenant/clients/:client_id/resources', viewer, resources.listGrants)
    .put(
      '/v1/tenants/:tenant/clients/:client_id/resources/:id',
      audit('client.resource_granted'),
      admin,
      resources.putGrant,
    )
    .delete(
      '/v1/tenants/:tenant/clients/:client_id/resources/:id',
      audit('client.resource_revoked'),
      admin,
      resources.removeGrant,
    )
    .get('/v1/tenants/:tenant/resources', viewer, resources.list)
    .post('/v1/tenants/:tenant/resources', audit('resource.created'), admin, resources.create)
    .get('/v1/tenants/:tenant/resources/:id', viewer, resources.get)
    .patch('/v1/tenants/:tenant/resources/:id', audit('resource.updated'), admin, resources.update)
    .delete('/v1/tenants/:tenant/resources/:id', audit('resource.deleted'), admin, resources.remove)
    .get('/v1/tenants/:tenant/identity-providers', viewer, identityProviders.list)
    .post(
      '/v1/tenants/:tenant/identity-providers',
      audit('identity_provider.created'),
      admin,
      identityProviders.create,
    )
    .get('/v1/tenants/:tenant/identity-providers/:id', viewer, identityProviders.get)
    .patch(
      '/v1/tenants/:tenant/identity-providers/:id',
      audit('identity_provider.updated'),
      admin,
      identityProviders.update,
    )
    .delete(
      '/v1/tenants/:tenant/identity-providers/:id',
      audit('identity_provider.deleted'),
      admin,
      identityProviders.remove,
    )
    .get('/v1/tenants/:tenant/webhooks', viewer, webhooks.list)
    .post('/v1/tenants/:tenant/webhooks', audit('webhook.created'), admin, webhooks.create)
    .get('/v1/tenants/:tenant/webhooks/:id', viewer, webhooks.get)
    .patch('/v1/tenants/:tenant/webhooks/:id', audit('webhook.updated'), admin, webhooks.update)
    .delete('/v1/tenants/:tenant/webhooks/:id', audit('webhook.deleted'), admin, webhooks.remove)
    .post(
      '/v1/tenants/:tenant/webhooks/:id/secret/rotate',
      audit('webhook.secret_rotated'),
      admin,
      webhooks.rotateSecret,
    )
    .get('/v1/tenants/:tenant/webhooks/:id/deliveries', viewer, webhooks.listDeliveries)
    .post(
      '/v1/tenants/:tenant/webhooks/:id/deliveries/:delivery/retry',
      audit('webhook.delivery_retried'),
      admin,
      webhooks.retryDelivery,
    )
    .get('/v1/audit-log', globalViewer, auditLog.list)
    .post('/internal/v1/api-keys/verify', internal, internalApi.verifyApiKey)
    .get('/internal/v1/admin-revocations', internal, internalApi.listAdminRevocations)
    .get('/internal/v1/tenants', internal, internalApi.listTenants)
    .get('/internal/v1/tenants/:tenant', internal, internalApi.getTenant)
    .get('/internal/v1/tenants/:tenant/clients', internal, internalApi.listClients)
    .get('/internal/v1/tenants/:tenant/clients/:client_id', internal, internalApi.getClient)
    .get('/internal/v1/tenants/:tenant/resources', internal, internalApi.listResources)
    .get(
      '/internal/v1/tenants/:tenant/identity-providers',
      internal,
      identityProviders.listInternal,
    );

  const wellKnown = Router();
  wellKnown.get('/.well-known/jwks.json', auth.jwks);
  return { api, wellKnown };
}
