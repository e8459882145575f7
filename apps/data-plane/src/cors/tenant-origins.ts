import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { createStaleWhileUnreachableCache } from '../tenancy/stale-while-unreachable-cache';

/** The web origins a tenant's clients registered, as one set. */
interface OriginSet {
  origins: ReadonlySet<string>;
}

export interface TenantOrigins {
  /**
   * Whether `origin` is in the union of the `allowed_origins` of the tenant's clients
   * (`tenantId`: the tenant's id), from cache when fresh. Throws `503 service_unavailable` when
   * the control plane cannot be reached and nothing (not too stale) is cached.
   */
  allows(tenantId: string, origin: string): Promise<boolean>;
  /** Forgets a tenant's set (a `client.*` event, or the tenant went away). */
  invalidateTenant(tenantId: string): void;
  /** Forgets every set: after a broker reconnect, invalidation events may have been missed. */
  clear(): void;
}

/** Page size of the internal API's list (its maximum). */
const PAGE_SIZE = 100;
/**
 * At most this many pages (10 000 clients) are read per tenant: a bounded cost per cache refresh.
 * The origins of clients past it are not allowed (fail closed).
 */
const MAX_PAGES = 100;

/**
 * The CORS origins of each tenant: the union of its clients' `allowed_origins`, read from the
 * control plane's internal API (`GET /internal/v1/tenants/{tenant}/clients`, every page) and
 * cached as the OAuth client directory caches clients (`createStaleWhileUnreachableCache`):
 * fresh for `ttlMs`, an unknown tenant for `negativeTtlMs`, and while the control plane is
 * unreachable a known set for up to `maxStaleMs`. `client.*` events drop a tenant's set at once
 * (tenancy/cache-invalidation.consumer.ts). At most `maxEntries` tenants are kept.
 *
 * A preflight names no client, so the union is what it is answered for (docs/oidc.md, "CORS").
 *
 * @example
 * const origins = createTenantOrigins({ client: cpClient });
 * await origins.allows(tenant.config.id, 'https://app.example.com'); // true or false
 */
export function createTenantOrigins(options: {
  client: Pick<ControlPlaneClient, 'listClients'>;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxStaleMs?: number;
  maxEntries?: number;
}): TenantOrigins {
  const cache = createStaleWhileUnreachableCache<OriginSet>({
    unavailable: 'Client configuration is unavailable.',
    ttlMs: options.ttlMs,
    negativeTtlMs: options.negativeTtlMs,
    maxStaleMs: options.maxStaleMs,
    maxEntries: options.maxEntries ?? 10_000,
  });

  async function read(tenantId: string): Promise<OriginSet | undefined> {
    const origins = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await options.client.listClients(tenantId, cursor, PAGE_SIZE);
      if (answer === undefined) return undefined;
      for (const client of answer.data) {
        // The control plane scopes the list by tenant; checked again so no bug there can hand
        // one tenant's origins to another.
        if (client.tenant_id !== tenantId) continue;
        for (const origin of client.allowed_origins) origins.add(origin);
      }
      cursor = answer.next_cursor;
      if (cursor === null) break;
    }
    return { origins };
  }

  return {
    async allows(tenantId, origin) {
      const set = await cache.get(tenantId, () => read(tenantId));
      return set?.origins.has(origin) ?? false;
    },
    invalidateTenant(tenantId) {
      cache.delete(tenantId);
    },
    clear() {
      cache.clear();
    },
  };
}
