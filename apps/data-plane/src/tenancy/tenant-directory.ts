import type { ControlPlaneClient } from './control-plane-client';
import { createStaleWhileUnreachableCache } from './stale-while-unreachable-cache';
import type { TenantConfig } from './tenant-config';

export interface TenantDirectory {
  /** The tenant by id or slug, from cache when fresh; `undefined` when the control plane has none. */
  resolve(ref: string): Promise<TenantConfig | undefined>;
  /** Forgets a tenant (by id or slug) so the next request reads it again. */
  invalidate(ref: string): void;
  /** Forgets every tenant: after a broker reconnect, invalidation events may have been missed. */
  clear(): void;
  /** When the control plane last answered, for `/readyz`. */
  status(): { reachable: boolean; lastSuccessAt: Date | undefined; lastError: string | undefined };
}

/**
 * Reads tenant configuration from the control plane's internal API and caches it. The control
 * plane is not in the critical path (docs/architecture.md, "The two planes"): while it is unreachable, known tenants are
 * served from cache for up to `maxStaleMs` (bounded staleness, reported by `status()`). A tenant
 * is cached under the reference asked for and under its id and slug.
 */
export function createTenantDirectory(options: {
  client: ControlPlaneClient;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxStaleMs?: number;
  maxEntries?: number;
}): TenantDirectory {
  let lastSuccessAt: Date | undefined;
  let lastError: string | undefined;
  const cache = createStaleWhileUnreachableCache<TenantConfig>({
    unavailable: 'Tenant configuration is unavailable.',
    ttlMs: options.ttlMs,
    negativeTtlMs: options.negativeTtlMs,
    maxStaleMs: options.maxStaleMs,
    // Unknown slugs are cached too (briefly), so a flood of made-up names must not grow the
    // cache without bound; three keys per tenant (reference, id, slug) fit ~30k tenants.
    maxEntries: options.maxEntries ?? 100_000,
    aliasesOf: (tenant) => [tenant.id, tenant.slug],
    onReached() {
      lastSuccessAt = new Date();
      lastError = undefined;
    },
    onUnreachable(error) {
      lastError = error instanceof Error ? error.message : String(error);
    },
  });

  return {
    resolve: (ref) => cache.get(ref, () => options.client.getTenant(ref)),
    invalidate: (ref) => {
      cache.delete(ref);
    },
    clear: () => {
      cache.clear();
    },
    status: () => ({ reachable: lastError === undefined, lastSuccessAt, lastError }),
  };
}
