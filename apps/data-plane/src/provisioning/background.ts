import type { EventBus } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { KeyRotationSweep } from '../keys/rotation-sweep';
import type { Keyring } from '../services/keyring';
import type { TenantDirectory } from '../tenancy/tenant-directory';

/** How often every replica looks for tenants due for automatic key rotation. */
export const KEY_ROTATION_SWEEP_MS = 60 * 60_000;

/** How often the bus connection is looked at, to notice a reconnect. */
const BUS_WATCH_MS = 1_000;

/**
 * The data plane's timers, all unref'd so they never keep the process alive:
 * - the hourly automatic key-rotation sweep;
 * - a reconnect watch: the per-replica cache-invalidation queue is exclusive, so events published
 *   while this replica was disconnected are lost to it; on reconnect every cached tenant and key
 *   set is dropped (without this, the directory's 30 s TTL would bound the staleness).
 */
export function startBackgroundWork(deps: {
  bus: EventBus;
  directory: TenantDirectory;
  keyring: Keyring;
  sweep: KeyRotationSweep;
  logger: Logger;
  sweepIntervalMs?: number;
}): { stop(): void } {
  let connected = deps.bus.isConnected();
  const watch = setInterval(() => {
    const now = deps.bus.isConnected();
    if (now && !connected) {
      deps.directory.clear();
      deps.keyring.clear();
      deps.logger.info('broker reconnected: dropped cached tenant configuration and keys');
    }
    connected = now;
  }, BUS_WATCH_MS);
  watch.unref();
  const sweep = setInterval(() => {
    deps.sweep.run().catch((error: unknown) => {
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'key rotation sweep failed; next one in an hour',
      );
    });
  }, deps.sweepIntervalMs ?? KEY_ROTATION_SWEEP_MS);
  sweep.unref();
  return {
    stop() {
      clearInterval(watch);
      clearInterval(sweep);
    },
  };
}
