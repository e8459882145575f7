/**
 * Tenant provisioning timed from `POST /v1/tenants` to `active`, on a running system whose planes
 * talk over RabbitMQ: an observer on the bus says when the data plane answered `tenant.provisioned`
 * (no polling while it works), then the control plane is read until it shows the tenant active.
 */
import { performance } from 'node:perf_hooks';
import { createRabbitMqBus } from '@hellojohn/events';

export interface ProvisioningFigures {
  name: string;
  tenants: number;
  failed: number;
  seconds: number;
  tenantsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProvisioningProbe {
  /** Creates `count` tenants, `concurrency` at a time, slugs `<slugPrefix><i>`. */
  measure(
    name: string,
    count: number,
    concurrency: number,
    slugPrefix: string,
  ): Promise<ProvisioningFigures>;
  close(): Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] ?? 0);
}

export async function startProvisioningProbe(options: {
  cpUrl: string;
  /** The operator's `Authorization` header. */
  auth: Record<string, string>;
  /** The vhost both planes use. */
  rabbitmqUrl: string;
  /** Every tenant created, so the caller can drop its database. */
  onCreated: (tenantId: string) => void;
}): Promise<ProvisioningProbe> {
  const { cpUrl } = options;
  const headers = { 'content-type': 'application/json', ...options.auth };
  const observer = createRabbitMqBus({
    url: options.rabbitmqUrl,
    connectionName: 'bench-observer',
  });
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  await observer.subscribe(
    { name: 'bench-observer', mode: 'exclusive', routingKeys: ['tenant.provisioned'] },
    async (event) => {
      const done = waiting.get(event.tenant_id);
      if (done) done();
      else early.add(event.tenant_id);
    },
  );

  /** Creates one tenant; resolves to ms from the POST to `active` (undefined if it failed). */
  async function provisionOne(slug: string): Promise<number | undefined> {
    const t0 = performance.now();
    const res = await fetch(`${cpUrl}/v1/tenants`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ slug, name: slug }),
    });
    if (res.status !== 202) return undefined;
    const { id } = (await res.json()) as { id: string };
    options.onCreated(id);
    // The answer on the bus says "provisioned"; the control plane then marks it active.
    await new Promise<void>((resolve) => {
      if (early.delete(id)) resolve();
      else waiting.set(id, resolve);
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const tenant = (await (await fetch(`${cpUrl}/v1/tenants/${id}`, { headers })).json()) as {
        status: string;
      };
      if (tenant.status === 'active') return performance.now() - t0;
      if (tenant.status === 'failed') return undefined;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return undefined;
  }

  return {
    async measure(name, count, concurrency, slugPrefix) {
      const latencies: number[] = [];
      let failed = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            const i = next++;
            const ms = await provisionOne(`${slugPrefix}${i}`).catch(() => undefined);
            if (ms === undefined) failed += 1;
            else latencies.push(ms);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      return {
        name,
        tenants: latencies.length,
        failed,
        seconds: Number(seconds.toFixed(1)),
        tenantsPerSecond: Number((latencies.length / seconds).toFixed(2)),
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        p99Ms: percentile(latencies, 99),
        maxMs: Math.round(latencies.at(-1) ?? 0),
      };
    },
    close: () => observer.close(),
  };
}
