import type { TenantPools } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { policyOf, type TenantConfig } from '../tenancy/tenant-config';
import { connectionInfoOf, type TenantContext } from '../tenancy/tenant-context';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import type { MailRelay } from './mail-relay';

/** How often the sweep drains the tenants with mail waiting (retries fall due in between). */
const SWEEP_MS = 30_000;

export interface MailSweep {
  /** Drains every active tenant once (mail left by an earlier process), then every 30 s. */
  start(): void;
  /** One pass over the waiting tenants (tests, and the timer). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The safety net under the in-process drains: mail whose drain failed, whose retry fell due, or
 * that a crashed replica left behind goes out from here. Which tenants to visit is remembered in
 * memory (the relay's waiting set); at start every active tenant is visited once, so a restart
 * loses nothing that was queued before it.
 */
export function createMailSweep(deps: {
  relay: MailRelay;
  client: ControlPlaneClient;
  directory: TenantDirectory;
  pools: TenantPools;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
  logger: Logger;
  intervalMs?: number;
}): MailSweep {
  const log = deps.logger.child({ component: 'mail-sweep' });
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const contextOf = (tenant: TenantConfig): TenantContext => ({
    config: tenant,
    policy: policyOf(tenant, deps.defaults),
    db: deps.pools.get(connectionInfoOf(tenant)),
  });

  async function drain(tenant: TenantConfig): Promise<void> {
    try {
      await deps.relay.drainNow(contextOf(tenant));
    } catch (error) {
      // One unreachable tenant database must not hold up the others' mail.
      log.warn(
        { tenant: tenant.slug, err: messageOf(error) },
        'mail drain failed; next sweep retries',
      );
    }
  }

  async function runOnce(): Promise<void> {
    for (const id of deps.relay.waitingTenants()) {
      if (stopped) return;
      const tenant = await deps.directory.resolve(id).catch(() => undefined);
      if (tenant === undefined) continue; // control plane unreachable: keep it for next time
      if (tenant.status !== 'active') {
        deps.relay.forget(id);
        continue;
      }
      await drain(tenant);
    }
  }

  async function drainAllActive(): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await deps.client.listTenants(cursor);
      for (const tenant of page.data) {
        if (stopped) return;
        if (tenant.status === 'active') await drain(tenant);
      }
      cursor = page.next_cursor;
    } while (cursor);
  }

  /** Runs `task` after the previous one: passes never overlap, and stop() waits for the last. */
  function enqueue(task: () => Promise<void>, what: string): void {
    current = current.then(task).catch((error: unknown) => {
      log.warn({ err: messageOf(error) }, `${what} failed; the next sweep retries`);
    });
  }

  return {
    start() {
      if (timer) return;
      stopped = false;
      enqueue(drainAllActive, 'start-up mail sweep');
      timer = setInterval(() => {
        enqueue(runOnce, 'mail sweep');
      }, deps.intervalMs ?? SWEEP_MS);
      timer.unref();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
