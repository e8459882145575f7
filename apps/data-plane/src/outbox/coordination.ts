/**
 * What the relay shares with the other replicas: a lease per tenant (one relay drains a tenant at
 * a time, cluster-wide) and the set of tenants that may have events waiting. In Redis when
 * `HJ_REDIS_URL` is set (redis-coordination.ts), in memory otherwise (one process: embedded).
 */
export interface OutboxCoordination {
  /** 'redis' or 'memory', for logs and tests. */
  readonly kind: 'redis' | 'memory';
  /** Takes the tenant's relay lease for `ttlMs`; undefined while another relay holds it. */
  acquire(tenantId: string, ttlMs: number): Promise<RelayLease | undefined>;
  /**
   * Remembers that the tenant may have unsent events. Written before the change commits, so a
   * crash right after the commit still leaves the tenant named for the sweep.
   */
  markWaiting(tenantId: string): Promise<void>;
  /** Forgets the tenant (its relay is about to drain it). */
  clearWaiting(tenantId: string): Promise<void>;
  /** Up to `limit` tenants marked waiting. */
  listWaiting(limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/** A held relay lease. It lapses by itself after its ttl if its holder dies. */
export interface RelayLease {
  /** Strictly increasing per tenant: a later holder always has a larger fence. */
  readonly fence: number;
  /** Extends the lease by its ttl; false when it lapsed and someone else may hold it now. */
  extend(): Promise<boolean>;
  /** Gives the lease up (only if still ours). */
  release(): Promise<void>;
}

/** One process: a map of held leases and a set of waiting tenants. */
export function createMemoryCoordination(now: () => number = Date.now): OutboxCoordination {
  const leases = new Map<string, { fence: number; until: number }>();
  const fences = new Map<string, number>();
  const waiting = new Set<string>();
  return {
    kind: 'memory',
    acquire(tenantId, ttlMs) {
      const held = leases.get(tenantId);
      if (held && held.until > now()) return Promise.resolve(undefined);
      const fence = (fences.get(tenantId) ?? 0) + 1;
      fences.set(tenantId, fence);
      leases.set(tenantId, { fence, until: now() + ttlMs });
      const ours = () => leases.get(tenantId)?.fence === fence;
      return Promise.resolve({
        fence,
        extend() {
          if (!ours()) return Promise.resolve(false);
          leases.set(tenantId, { fence, until: now() + ttlMs });
          return Promise.resolve(true);
        },
        release() {
          if (ours()) leases.delete(tenantId);
          return Promise.resolve();
        },
      });
    },
    markWaiting(tenantId) {
      waiting.add(tenantId);
      return Promise.resolve();
    },
    clearWaiting(tenantId) {
      waiting.delete(tenantId);
      return Promise.resolve();
    },
    listWaiting(limit) {
      return Promise.resolve([...waiting].slice(0, limit));
    },
    close: () => Promise.resolve(),
  };
}
