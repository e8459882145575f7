import { Counter, Gauge, Registry } from 'prom-client';

/** Why a tenant's outbox was drained: a commit on this replica, the waiting-set sweep, a full pass. */
export type DrainTrigger = 'commit' | 'sweep' | 'full';

export interface OutboxMetrics {
  drained(trigger: DrainTrigger): void;
  relayed(count: number): void;
  failed(): void;
  fullSweep(): void;
  /** Unsent events the last drain of `tenantId` left behind (0 once drained). */
  backlog(tenantId: string, count: number): void;
  waitingTenants(count: number): void;
}

/**
 * `outbox_relayed_total` (events published and confirmed), `outbox_publish_failures_total`,
 * `outbox_tenant_drains_total{trigger}` and `outbox_full_sweeps_total` (how often tenants are
 * visited: the relay never polls every tenant, and these show it), and the gauges
 * `outbox_backlog` (unsent events the last drains left, over all tenants) and
 * `outbox_waiting_tenants`. Never labelled by tenant (cardinality).
 */
export function createOutboxMetrics(registry: Registry = new Registry()): OutboxMetrics {
  const relayed = new Counter({
    name: 'outbox_relayed_total',
    help: 'Domain events published to the bus and confirmed',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Domain-event publications that failed (retried by a later drain)',
    registers: [registry],
  });
  const drains = new Counter({
    name: 'outbox_tenant_drains_total',
    help: "Drains of one tenant's outbox, by trigger (commit, sweep, full)",
    labelNames: ['trigger'],
    registers: [registry],
  });
  const fullSweeps = new Counter({
    name: 'outbox_full_sweeps_total',
    help: 'Passes over every active tenant (the slow safety net)',
    registers: [registry],
  });
  const left = new Map<string, number>();
  const backlog = new Gauge({
    name: 'outbox_backlog',
    help: 'Unsent domain events the last drain of each tenant left behind',
    registers: [registry],
  });
  const waiting = new Gauge({
    name: 'outbox_waiting_tenants',
    help: 'Tenants marked as having unsent domain events (last sweep)',
    registers: [registry],
  });
  return {
    drained(trigger) {
      drains.inc({ trigger });
    },
    relayed(count) {
      relayed.inc(count);
    },
    failed() {
      failures.inc();
    },
    fullSweep() {
      fullSweeps.inc();
    },
    backlog(tenantId, count) {
      if (count > 0) left.set(tenantId, count);
      else left.delete(tenantId);
      let total = 0;
      for (const value of left.values()) total += value;
      backlog.set(total);
    },
    waitingTenants(count) {
      waiting.set(count);
    },
  };
}
