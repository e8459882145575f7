import type { InternalClient } from '@hellojohn/contracts';
import { AppError } from '@hellojohn/http';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';

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

interface Entry {
  client: OAuthClient | undefined;
  fetchedAt: number;
}

/**
 * RFC 6749 Appendix A.1: client-id = *VSCHAR. The control plane's ids are at most 128 characters;
 * anything else cannot name a client, so it is not worth a request to the control plane.
 */
const CLIENT_ID = /^[\x20-\x7e]{1,128}$/;

/**
 * Reads OAuth clients from the control plane's internal API
 * (`GET /internal/v1/tenants/{tenant}/clients/{client_id}`) and caches them like the tenant
 * directory does: fresh for `ttlMs`, unknown ids for `negativeTtlMs`, and, while the control plane
 * is unreachable, known clients for up to `maxStaleMs` (bounded staleness). `client.*` events drop
 * an entry at once. At most `maxEntries` are kept (the oldest go first), so a flood of made-up
 * client ids cannot grow the cache without bound.
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
  const ttlMs = options.ttlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxStaleMs = options.maxStaleMs ?? 15 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<OAuthClient | undefined>>();
  // Bumped by every invalidation: a read that started before one does not store its answer.
  let generation = 0;

  const keyOf = (tenantId: string, clientId: string): string => `${tenantId}\u0000${clientId}`;

  function remember(key: string, client: OAuthClient | undefined): void {
    cache.delete(key);
    cache.set(key, { client, fetchedAt: Date.now() });
    if (cache.size > maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
  }

  async function load(
    tenantId: string,
    clientId: string,
    stale: Entry | undefined,
  ): Promise<OAuthClient | undefined> {
    const key = keyOf(tenantId, clientId);
    const started = generation;
    let client: OAuthClient | undefined;
    try {
      client = await options.client.getClient(tenantId, clientId);
    } catch (error) {
      if (stale?.client && Date.now() - stale.fetchedAt < maxStaleMs) return stale.client;
      throw new AppError('service_unavailable', 'Client configuration is unavailable.', {
        cause: error,
        headers: { 'Retry-After': '5' },
      });
    }
    // The control plane scopes the read by tenant; checked again so no bug there can hand one
    // tenant's client to another.
    if (client && (client.tenant_id !== tenantId || client.client_id !== clientId)) {
      client = undefined;
    }
    if (started === generation) remember(key, client);
    return client;
  }

  return {
    async resolve(tenantId, clientId) {
      if (!CLIENT_ID.test(clientId)) return undefined;
      const key = keyOf(tenantId, clientId);
      const entry = cache.get(key);
      const age = entry ? Date.now() - entry.fetchedAt : Infinity;
      if (entry && age < (entry.client ? ttlMs : negativeTtlMs)) return entry.client;
      const running = inflight.get(key);
      if (running) return running;
      const pending: Promise<OAuthClient | undefined> = load(tenantId, clientId, entry).finally(
        () => {
          if (inflight.get(key) === pending) inflight.delete(key);
        },
      );
      inflight.set(key, pending);
      return pending;
    },
    invalidate(tenantId, clientId) {
      generation++;
      const key = keyOf(tenantId, clientId);
      cache.delete(key);
      inflight.delete(key);
    },
    invalidateTenant(tenantId) {
      generation++;
      const prefix = `${tenantId}\u0000`;
      for (const map of [cache, inflight]) {
        for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
      }
    },
    clear() {
      generation++;
      cache.clear();
      inflight.clear();
    },
  };
}
