import type { EventBus } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';

/** How often the bus connection is looked at, to notice a reconnect. */
const BUS_WATCH_MS = 1_000;

/** A per-replica cache that cache-invalidation events keep fresh. */
export interface ClearableCache {
  clear(): void;
}

/**
 * The per-replica cache-invalidation queue is exclusive, so events published while this replica
 * was disconnected are lost to it: on reconnect every cached tenant and key set is dropped
 * (without this, the directory's 30 s TTL would bound the staleness). The timer is unref'd so it
 * never keeps the process alive.
 *
 * @example
 * const watch = watchBrokerReconnects({ bus, caches: [directory, keyring], logger });
 * watch.stop();
 */
export function watchBrokerReconnects(deps: {
  bus: EventBus;
  caches: readonly ClearableCache[];
  logger: Logger;
}): { stop(): void } {
  let connected = deps.bus.isConnected();
  const watch = setInterval(() => {
    const now = deps.bus.isConnected();
    if (now && !connected) {
      for (const cache of deps.caches) cache.clear();
      deps.logger.info('broker reconnected: dropped cached tenant configuration and keys');
    }
    connected = now;
  }, BUS_WATCH_MS);
  watch.unref();
  return {
    stop() {
      clearInterval(watch);
    },
  };
}
