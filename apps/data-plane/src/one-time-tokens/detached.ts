import type { Logger } from '@hellojohn/http';

/**
 * Runs `work` after the caller has answered, logging a failure. The enumeration-safe `202`
 * routes answer before they look the address up, so a known and an unknown email take the same
 * time whatever the lookup, token write and mail enqueue cost.
 */
export function runDetached(logger: Logger, label: string, work: () => Promise<void>): void {
  void work().catch((error: unknown) => {
    logger.error({ err: error, flow: label }, 'mail flow failed after answering 202');
  });
}
