import { AppError } from '@hellojohn/http';

interface Entry<V> {
  value: V | undefined;
  fetchedAt: number;
}

export interface StaleWhileUnreachableCache<V> {
  /**
   * The value under `key`: from cache while fresh, else from `read` (`undefined`: the source has
   * none). Concurrent misses of a key share one read. When `read` throws (the source is
   * unreachable), a value read less than `maxStaleMs` ago is served instead; without one, the
   * answer is `503 service_unavailable` with `Retry-After`.
   */
  get(key: string, read: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Forgets `key` and the other keys of its value, so the next `get` reads again. */
  delete(key: string): void;
  /** Forgets every key `matches` accepts (and the other keys of their values). */
  deleteWhere(matches: (key: string) => boolean): void;
  /** Forgets everything. */
  clear(): void;
}

/**
 * A read-through cache of what the control plane's internal API answers, which keeps the control
 * plane out of the critical path (docs/architecture.md, "The two planes"): a value is fresh for
 * `ttlMs`, an unknown key for `negativeTtlMs`; for `revalidateMs` more a known value is answered
 * while a background read refreshes it; and while the source is unreachable a known value
 * is served for up to `maxStaleMs` (bounded staleness). Every deletion also voids the reads under
 * way, so an answer read before it is never stored after it. At most `maxEntries` keys are kept
 * (the least recently stored go first); unbounded by default.
 *
 * `aliasesOf` names the other keys a value is found under (a tenant's id and slug), stored and
 * forgotten with it. `onReached` / `onUnreachable` report each read's outcome (for `/readyz`).
 * `unavailable` is the 503's detail.
 *
 * @example
 * const tenants = createStaleWhileUnreachableCache<TenantConfig>({ unavailable: 'No tenant.' });
 * const tenant = await tenants.get(ref, () => cpClient.getTenant(ref));
 */
export function createStaleWhileUnreachableCache<V extends object>(options: {
  unavailable: string;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxStaleMs?: number;
  /**
   * For this long after `ttlMs` (default: `ttlMs` again), a known value is still answered at once
   * while it is read again in the background; after that, a request waits for the read.
   */
  revalidateMs?: number;
  maxEntries?: number;
  aliasesOf?: (value: V) => string[];
  onReached?: () => void;
  onUnreachable?: (error: unknown) => void;
}): StaleWhileUnreachableCache<V> {
  const ttlMs = options.ttlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxStaleMs = options.maxStaleMs ?? 15 * 60_000;
  const revalidateMs = options.revalidateMs ?? ttlMs;
  const maxEntries = options.maxEntries ?? Infinity;
  const aliasesOf = options.aliasesOf ?? (() => []);
  const cache = new Map<string, Entry<V>>();
  const inflight = new Map<string, Promise<V | undefined>>();
  // Bumped by every deletion: a read that started before one does not store its answer.
  let generation = 0;

  function keysOf(key: string, value: V | undefined): Set<string> {
    return new Set(value === undefined ? [key] : [key, ...aliasesOf(value)]);
  }

  function remember(key: string, value: V | undefined): void {
    const entry = { value, fetchedAt: Date.now() };
    for (const each of keysOf(key, value)) {
      cache.delete(each);
      cache.set(each, entry);
    }
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next();
      if (oldest.done) break;
      cache.delete(oldest.value);
    }
  }

  function forget(key: string): void {
    for (const each of keysOf(key, cache.get(key)?.value)) {
      cache.delete(each);
      inflight.delete(each);
    }
  }

  async function load(
    key: string,
    read: () => Promise<V | undefined>,
    stale: Entry<V> | undefined,
  ): Promise<V | undefined> {
    const started = generation;
    let value: V | undefined;
    try {
      value = await read();
    } catch (error) {
      options.onUnreachable?.(error);
      if (stale?.value && Date.now() - stale.fetchedAt < maxStaleMs) return stale.value;
      throw new AppError('service_unavailable', options.unavailable, {
        cause: error,
        headers: { 'Retry-After': '5' },
      });
    }
    options.onReached?.();
    if (started === generation) remember(key, value);
    return value;
  }

  /** One read of `key` at a time: concurrent callers share it. */
  function start(
    key: string,
    read: () => Promise<V | undefined>,
    stale: Entry<V> | undefined,
  ): Promise<V | undefined> {
    const pending: Promise<V | undefined> = load(key, read, stale).finally(() => {
      if (inflight.get(key) === pending) inflight.delete(key);
    });
    inflight.set(key, pending);
    return pending;
  }

  return {
    async get(key, read) {
      const entry = cache.get(key);
      const age = entry ? Date.now() - entry.fetchedAt : Infinity;
      if (entry && age < (entry.value ? ttlMs : negativeTtlMs)) return entry.value;
      const running = inflight.get(key);
      if (entry?.value && age < ttlMs + revalidateMs) {
        // Just past fresh: answer from cache and read again behind the request, so a hot key's
        // expiry never puts the control plane on the request path (events still drop entries).
        if (!running) void start(key, read, entry).catch(() => undefined);
        return entry.value;
      }
      return running ?? start(key, read, entry);
    },
    delete(key) {
      generation++;
      forget(key);
    },
    deleteWhere(matches) {
      generation++;
      for (const key of new Set([...cache.keys(), ...inflight.keys()])) {
        if (matches(key)) forget(key);
      }
    },
    clear() {
      generation++;
      cache.clear();
      inflight.clear();
    },
  };
}
