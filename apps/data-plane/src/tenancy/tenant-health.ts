import { safeReason } from './safe-reason';

/** Tenants whose database was unreachable lately, for `/readyz`. */
export interface TenantHealth {
  reportDown(tenantId: string, error: unknown): void;
  /** Tenants that failed within the window, newest first (at most 20 listed). */
  down(): { count: number; tenants: Array<{ tenant_id: string; at: string; error: string }> };
}

/** Remembers each tenant's last connection failure for `windowMs` (default 60 s). */
export function createTenantHealth(
  options: { windowMs?: number; now?: () => Date } = {},
): TenantHealth {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const failures = new Map<string, { at: Date; error: string }>();
  return {
    reportDown(tenantId, error) {
      failures.delete(tenantId);
      failures.set(tenantId, { at: now(), error: safeReason(error).slice(0, 200) });
    },
    down() {
      const cutoff = now().getTime() - windowMs;
      for (const [id, failure] of failures) if (failure.at.getTime() < cutoff) failures.delete(id);
      const tenants = [...failures]
        .reverse()
        .slice(0, 20)
        .map(([id, f]) => ({ tenant_id: id, at: f.at.toISOString(), error: f.error }));
      return { count: failures.size, tenants };
    },
  };
}
