import { z } from 'zod';
import { pageOf } from '../page';

/** A tenant's lifecycle: `provisioning` -> `active` | `failed`; `deleting` until deprovisioned. */
export const TENANT_STATUSES = ['provisioning', 'active', 'failed', 'deleting'] as const;

/** Where a tenant's database lives; an external DSN travels decrypted, over the internal API only. */
export const InternalTenantDatabase = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('managed') }),
  z.object({ mode: z.literal('external'), driver: z.string(), url: z.string() }),
]);

/**
 * A tenant as the data plane learns it from `GET /internal/v1/tenants/{tenant}`. The control plane
 * validates its answers with this schema and the data plane parses them with it: one source.
 */
export const InternalTenant = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(TENANT_STATUSES),
  issuer: z.string(),
  settings: z.record(z.string(), z.unknown()),
  database: InternalTenantDatabase,
});

/** `GET /internal/v1/tenants`. */
export const InternalTenantPage = pageOf(InternalTenant);

export type InternalTenant = z.infer<typeof InternalTenant>;
export type InternalTenantPage = z.infer<typeof InternalTenantPage>;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
