import type { InternalResource } from '@hellojohn/contracts';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { createStaleWhileUnreachableCache } from '../tenancy/stale-while-unreachable-cache';

/** An API resource as the data plane knows it: the control plane's internal API answer. */
export type ApiResource = InternalResource;

export interface ResourceCatalogue {
  /** The tenant's API resource named `identifier` (its `aud`), or undefined. */
  resolve(tenantId: string, identifier: string): Promise<ApiResource | undefined>;
  /** Every identifier of the tenant's API resources: the audiences its tokens may carry. */
  identifiers(tenantId: string): Promise<string[]>;
  /** Forgets a tenant's resources (a `resource.*` event), so the next request reads them again. */
  invalidateTenant(tenantId: string): void;
  /** Forgets every tenant's: after a broker reconnect, events may have been missed. */
  clear(): void;
}

interface Catalogue {
  byIdentifier: ReadonlyMap<string, ApiResource>;
}

/**
 * Reads a tenant's API resources (with the client grants on them) from the control plane's
 * internal API in one request and caches them per tenant like the client directory does: fresh
 * for `ttlMs`, served stale while the control plane is unreachable, dropped at once by
 * `resource.*` events.
 *
 * @example
 * const resources = createResourceCatalogue({ client: cpClient });
 * const api = await resources.resolve(tenant.config.id, 'https://api.example.com/invoices');
 */
export function createResourceCatalogue(options: {
  client: Pick<ControlPlaneClient, 'listResources'>;
  ttlMs?: number;
  maxStaleMs?: number;
}): ResourceCatalogue {
  const cache = createStaleWhileUnreachableCache<Catalogue>({
    unavailable: 'API resource configuration is unavailable.',
    ttlMs: options.ttlMs,
    maxStaleMs: options.maxStaleMs,
    maxEntries: 10_000,
  });

  async function read(tenantId: string): Promise<Catalogue> {
    const list = await options.client.listResources(tenantId);
    return {
      byIdentifier: new Map((list?.data ?? []).map((resource) => [resource.identifier, resource])),
    };
  }

  async function catalogueOf(tenantId: string): Promise<Catalogue> {
    return (await cache.get(tenantId, () => read(tenantId))) ?? { byIdentifier: new Map() };
  }

  return {
    async resolve(tenantId, identifier) {
      return (await catalogueOf(tenantId)).byIdentifier.get(identifier);
    },
    async identifiers(tenantId) {
      return [...(await catalogueOf(tenantId)).byIdentifier.keys()];
    },
    invalidateTenant(tenantId) {
      cache.delete(tenantId);
    },
    clear() {
      cache.clear();
    },
  };
}
