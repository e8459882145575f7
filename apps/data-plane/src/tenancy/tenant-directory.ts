import { AppError } from '@hellojohn/http';
import type { ControlPlaneClient } from './control-plane-client';
import type { TenantConfig } from './tenant-config';

interface Entry {
  tenant: TenantConfig | undefined;
  fetchedAt: number;
}

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
 * served from cache for up to `maxStaleMs` (bounded staleness, reported by `status()`).
 */
export function createTenantDirectory(options: {
  client: ControlPlaneClient;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxStaleMs?: number;
}): TenantDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxStaleMs = options.maxStaleMs ?? 15 * 60_000;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<TenantConfig | undefined>>();
  let lastSuccessAt: Date | undefined;
  let lastError: string | undefined;

  function remember(ref: string, tenant: TenantConfig | undefined): void {
    const entry = { tenant, fetchedAt: Date.now() };
    cache.set(ref, entry);
    if (tenant) {
      cache.set(tenant.id, entry);
      cache.set(tenant.slug, entry);
    }
  }

  async function load(ref: string, stale: Entry | undefined): Promise<TenantConfig | undefined> {
    try {
      const tenant = await options.client.getTenant(ref);
      lastSuccessAt = new Date();
      lastError = undefined;
      remember(ref, tenant);
      return tenant;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      if (stale?.tenant && Date.now() - stale.fetchedAt < maxStaleMs) return stale.tenant;
      throw new AppError('service_unavailable', 'Tenant configuration is unavailable.', {
        cause: error,
        headers: { 'Retry-After': '5' },
      });
    }
  }

  return {
    async resolve(ref) {
      const entry = cache.get(ref);
      const age = entry ? Date.now() - entry.fetchedAt : Infinity;
      if (entry && age < (entry.tenant ? ttlMs : negativeTtlMs)) return entry.tenant;
      let pending = inflight.get(ref);
      if (!pending) {
        pending = load(ref, entry).finally(() => inflight.delete(ref));
        inflight.set(ref, pending);
      }
      return pending;
    },
    invalidate(ref) {
      const entry = cache.get(ref);
      cache.delete(ref);
      if (entry?.tenant) {
        cache.delete(entry.tenant.id);
        cache.delete(entry.tenant.slug);
      }
    },
    clear() {
      cache.clear();
    },
    status: () => ({ reachable: lastError === undefined, lastSuccessAt, lastError }),
  };
}
