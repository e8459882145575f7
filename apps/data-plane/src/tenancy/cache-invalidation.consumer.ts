import type { EventBus, Subscription } from '@hellojohn/events';
import type { TenantDirectory } from './tenant-directory';

/** A per-tenant cache besides the directory (the keyring): dropped when the tenant's keys change. */
export interface TenantKeyCache {
  invalidate(tenantId: string): void;
}

/** One exclusive queue per replica: every replica drops its cached copy of a changed tenant. */
export function consumeCacheInvalidation(deps: {
  bus: EventBus;
  directory: TenantDirectory;
  keys: TenantKeyCache;
}): Promise<Subscription> {
  return deps.bus.subscribe(
    {
      name: 'data-plane.cache-invalidation',
      mode: 'exclusive',
      routingKeys: ['tenant.*', 'tenant.keys.*', 'client.*'],
    },
    async function invalidateTenantCache(event) {
      deps.directory.invalidate(event.tenant_id);
      if (
        event.type === 'tenant.keys.rotation_requested' ||
        event.type === 'tenant.deprovisioned'
      ) {
        deps.keys.invalidate(event.tenant_id);
      }
    },
  );
}
