import { InternalIdentityProviderList, type InternalIdentityProvider } from '@hellojohn/contracts';
import { createStaleWhileUnreachableCache } from '../../tenancy/stale-while-unreachable-cache';

/** An upstream identity provider as the data plane knows it: the internal API's answer. */
export type IdentityProvider = InternalIdentityProvider;

export interface IdentityProviderDirectory {
  /** Every provider of the tenant, enabled or not. */
  list(tenantId: string): Promise<IdentityProvider[]>;
  /** The tenant's provider `id`, or undefined. */
  find(tenantId: string, id: string): Promise<IdentityProvider | undefined>;
  /** Forgets a tenant's providers (an `identity_provider.*` event). */
  invalidateTenant(tenantId: string): void;
  /** Forgets every tenant's: after a broker reconnect, events may have been missed. */
  clear(): void;
}

interface Catalogue {
  providers: IdentityProvider[];
}

/**
 * Reads a tenant's identity providers from the control plane's internal API
 * (`GET /internal/v1/tenants/{tenant}/identity-providers`, `HJ_INTERNAL_TOKEN`) in one request and
 * caches them per tenant like the resource catalogue: fresh for `ttlMs`, served stale while the
 * control plane is unreachable, dropped at once by `identity_provider.*` events.
 *
 * @example
 * const providers = createIdentityProviderDirectory({ cpUrl, internalToken });
 * const google = await providers.find(tenant.config.id, id);
 */
export function createIdentityProviderDirectory(options: {
  cpUrl: string;
  internalToken: string;
  timeoutMs?: number;
  ttlMs?: number;
  maxStaleMs?: number;
}): IdentityProviderDirectory {
  const cache = createStaleWhileUnreachableCache<Catalogue>({
    unavailable: 'Identity provider configuration is unavailable.',
    ttlMs: options.ttlMs,
    maxStaleMs: options.maxStaleMs,
    maxEntries: 10_000,
  });

  async function read(tenantId: string): Promise<Catalogue> {
    const response = await fetch(
      `${options.cpUrl}/internal/v1/tenants/${encodeURIComponent(tenantId)}/identity-providers`,
      {
        headers: { authorization: `Bearer ${options.internalToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      },
    );
    if (response.status === 404) return { providers: [] };
    if (!response.ok) throw new Error(`control plane answered ${response.status}`);
    return { providers: InternalIdentityProviderList.parse(await response.json()).data };
  }

  async function list(tenantId: string): Promise<IdentityProvider[]> {
    return (await cache.get(tenantId, () => read(tenantId)))?.providers ?? [];
  }

  return {
    list,
    async find(tenantId, id) {
      return (await list(tenantId)).find((provider) => provider.id === id);
    },
    invalidateTenant(tenantId) {
      cache.delete(tenantId);
    },
    clear() {
      cache.clear();
    },
  };
}
