import type { EventBus, Subscription } from '@hellojohn/events';
import type { Keyring } from '../services/keyring';
import type { TenantDirectory } from '../tenancy/tenant-directory';

/** One exclusive queue per replica: every replica drops its cached copy of a changed tenant. */
export function consumeCacheInvalidation(deps: {
  bus: EventBus;
  directory: TenantDirectory;
  keyring: Keyring;
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
        deps.keyring.invalidate(event.tenant_id);
      }
    },
  );
}
