import type { InternalClient } from '@hellojohn/contracts';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { createStaleWhileUnreachableCache } from '../tenancy/stale-while-unreachable-cache';

/** An OAuth client as the data plane knows it: the control plane's internal API answer. */
export type OAuthClient = InternalClient;

export interface ClientDirectory {
  /**
   * The client `clientId` of the tenant `tenantId`, from cache when fresh; `undefined` when the
   * tenant has no such client. A client of another tenant is never returned.
   */
  resolve(tenantId: string, clientId: string): Promise<OAuthClient | undefined>;
  /** Forgets one client (a `client.*` event), so the next request reads it again. */
  invalidate(tenantId: string, clientId: string): void;
  /** Forgets every client of a tenant (the tenant changed or went away). */
  invalidateTenant(tenantId: string): void;
  /** Forgets every client: after a broker reconnect, invalidation events may have been missed. */
  clear(): void;
}

/**
 * RFC 6749 Appendix A.1: client-id = *VSCHAR. The control plane's ids are at most 128 characters;
 * anything else cannot name a client, so it is not worth a request to the control plane.
 */
const CLIENT_ID = /^[\x20-\x7e]{1,128}$/;

/**
 * Reads OAuth clients from the control plane's internal API
 * (`GET /internal/v1/tenants/{tenant}/clients/{client_id}`) and caches them as the tenant
 * directory does (`createStaleWhileUnreachableCache`): fresh for `ttlMs`, unknown ids for
 * `negativeTtlMs`, and, while the control plane is unreachable, known clients for up to
 * `maxStaleMs` (bounded staleness). `client.*` events drop an entry at once. At most `maxEntries`
 * are kept (the oldest go first), so a flood of made-up client ids cannot grow the cache without
 * bound.
 *
 * @example
 * const clients = createClientDirectory({ client: cpClient });
 * const client = await clients.resolve(tenant.config.id, 'hjc_LRgVAtlQuyvxfecraAR9_g');
 */
export function createClientDirectory(options: {
  client: Pick<ControlPlaneClient, 'getClient'>;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxStaleMs?: number;
  maxEntries?: number;
}): ClientDirectory {
  const cache = createStaleWhileUnreachableCache<OAuthClient>({
    unavailable: 'Client configuration is unavailable.',
    ttlMs: options.ttlMs,
    negativeTtlMs: options.negativeTtlMs,
    maxStaleMs: options.maxStaleMs,
    maxEntries: options.maxEntries ?? 10_000,
  });

  const keyOf = (tenantId: string, clientId: string): string => `${tenantId}\u0000${clientId}`;

  async function read(tenantId: string, clientId: string): Promise<OAuthClient | undefined> {
    const client = await options.client.getClient(tenantId, clientId);
    // The control plane scopes the read by tenant; checked again so no bug there can hand one
    // tenant's client to another.
    if (client && (client.tenant_id !== tenantId || client.client_id !== clientId)) {
      return undefined;
    }
    return client;
  }

  return {
    async resolve(tenantId, clientId) {
      if (!CLIENT_ID.test(clientId)) return undefined;
      return cache.get(keyOf(tenantId, clientId), () => read(tenantId, clientId));
    },
    invalidate(tenantId, clientId) {
      cache.delete(keyOf(tenantId, clientId));
    },
    invalidateTenant(tenantId) {
      const prefix = `${tenantId}\u0000`;
      cache.deleteWhere((key) => key.startsWith(prefix));
    },
    clear() {
      cache.clear();
    },
  };
}
