import type { EventBus, Subscription } from '@hellojohn/events';
import { markSessionRevoked } from './session-revocation-marks';
import type { TenantDirectory } from './tenant-directory';

/** A per-tenant cache besides the directory (the keyring): dropped when the tenant's keys change. */
export interface TenantKeyCache {
  invalidate(tenantId: string): void;
}

/** The OAuth clients cached per tenant (oauth2/client-directory.ts). */
export interface TenantClientCache {
  invalidate(tenantId: string, clientId: string): void;
  invalidateTenant(tenantId: string): void;
}

/** The API resources cached per tenant (oauth2/resource-catalogue.ts). */
export interface TenantResourceCache {
  invalidateTenant(tenantId: string): void;
}

/** The upstream identity providers cached per tenant (features/federation). */
export interface TenantIdentityProviderCache {
  invalidateTenant(tenantId: string): void;
}

/** The CORS origins cached per tenant (cors/tenant-origins.ts): the union over its clients. */
export interface TenantOriginsCache {
  invalidateTenant(tenantId: string): void;
}

/** What operator revocations drop (guards/): cached API key checks and admin tokens. */
export interface OperatorRevocations {
  apiKeys: { revoke(apiKeyId: string): void };
  admins: { revoke(adminId: string, sessionId: string | undefined, revokedAt: Date): void };
}

/**
 * One exclusive queue per replica: every replica drops its cached copy of a changed tenant, and of
 * a changed OAuth client (`client.*`) and of its tenant's CORS origins, of its API resources
 * (`resource.*`), so a deleted client or a
 * rotated secret stops working (and a new origin is served) at once rather than when the cache
 * entry would have expired. It also applies operator revocations (`api_key.revoked`,
 * `admin.revoked`), so a revoked key or admin is refused within moments, and marks the sessions
 * other replicas revoked (`session.revoked`), so the bearer guards' session cache drops them.
 */
export function consumeCacheInvalidation(deps: {
  bus: EventBus;
  directory: TenantDirectory;
  keys: TenantKeyCache;
  clients?: TenantClientCache;
  resources?: TenantResourceCache;
  identityProviders?: TenantIdentityProviderCache;
  origins?: TenantOriginsCache;
  operators?: OperatorRevocations;
}): Promise<Subscription> {
  return deps.bus.subscribe(
    {
      name: 'data-plane.cache-invalidation',
      mode: 'exclusive',
      routingKeys: [
        'tenant.*',
        'tenant.keys.*',
        'client.*',
        'resource.*',
        'identity_provider.*',
        'api_key.revoked',
        'admin.revoked',
        'session.revoked',
      ],
    },
    async function invalidateTenantCache(event) {
      // Another replica revoked a session: the bearer guards here stop trusting their cached
      // check of it (guards/live-session-cache.ts). The tenant itself did not change.
      if (event.type === 'session.revoked') {
        markSessionRevoked(event.tenant_id, event.data.session_id);
        return;
      }
      // Operator events concern no tenant: a revoked key or admin must stop working here at once.
      if (event.type === 'api_key.revoked') {
        deps.operators?.apiKeys.revoke(event.data.api_key_id);
        return;
      }
      if (event.type === 'admin.revoked') {
        deps.operators?.admins.revoke(
          event.data.admin_id,
          event.data.session_id,
          new Date(event.data.revoked_at),
        );
        return;
      }
      deps.directory.invalidate(event.tenant_id);
      if (
        event.type === 'tenant.keys.rotation_requested' ||
        event.type === 'tenant.deprovisioned'
      ) {
        deps.keys.invalidate(event.tenant_id);
      }
      if (
        event.type === 'client.created' ||
        event.type === 'client.updated' ||
        event.type === 'client.deleted'
      ) {
        deps.clients?.invalidate(event.tenant_id, event.data.client_id);
        // Any client's change may change the union of the tenant's allowed origins.
        deps.origins?.invalidateTenant(event.tenant_id);
      } else if (
        event.type === 'resource.created' ||
        event.type === 'resource.updated' ||
        event.type === 'resource.deleted'
      ) {
        deps.resources?.invalidateTenant(event.tenant_id);
      } else if (
        event.type === 'identity_provider.created' ||
        event.type === 'identity_provider.updated' ||
        event.type === 'identity_provider.deleted'
      ) {
        deps.identityProviders?.invalidateTenant(event.tenant_id);
      } else if (event.type === 'tenant.deleted' || event.type === 'tenant.deprovisioned') {
        deps.clients?.invalidateTenant(event.tenant_id);
        deps.resources?.invalidateTenant(event.tenant_id);
        deps.identityProviders?.invalidateTenant(event.tenant_id);
        deps.origins?.invalidateTenant(event.tenant_id);
      }
    },
  );
}
