import type { Knex } from 'knex';
import { z } from 'zod';
import { ConflictError, isUniqueViolation } from '../db-errors';
import { dbDate } from '../internal/columns';

const metaSchema = z
  .object({ tenant_id: z.string(), provisioned_at: dbDate })
  .transform((r) => ({ tenantId: r.tenant_id, provisionedAt: r.provisioned_at }));

/** Whose database this is, and since when. */
export type TenantMeta = z.output<typeof metaSchema>;

/** The one-row `tenant_meta` table that marks a database as this tenant's. */
export interface TenantMetaRepository {
  get(): Promise<TenantMeta | undefined>;
  /**
   * Claims the database for `tenantId`. Idempotent; ConflictError if it belongs to another
   * tenant (or `tenantId` is not the handle's own tenant).
   */
  markProvisioned(tenantId: string): Promise<TenantMeta>;
}

/** Builds the tenant-meta repository for the tenant whose database `db` is. */
export function createTenantMetaRepository(
  db: Knex | Knex.Transaction,
  ownTenantId: string,
): TenantMetaRepository {
  const get = async (): Promise<TenantMeta | undefined> => {
    const rows = (await db('tenant_meta')
      .select('tenant_id', 'provisioned_at')
      .limit(2)) as unknown[];
    if (rows.length > 1) throw new ConflictError('tenant_meta holds more than one tenant');
    return rows[0] === undefined ? undefined : metaSchema.parse(rows[0]);
  };
  const claimed = (meta: TenantMeta | undefined, tenantId: string): TenantMeta | undefined => {
    if (meta === undefined) return undefined;
    if (meta.tenantId !== tenantId) {
      throw new ConflictError('This database is already provisioned for another tenant');
    }
    return meta;
  };

  return {
    get,
    async markProvisioned(tenantId) {
      if (tenantId !== ownTenantId) {
        throw new ConflictError('markProvisioned called with another tenant id');
      }
      const existing = claimed(await get(), tenantId);
      if (existing) return existing;
      const raw = { tenant_id: tenantId, provisioned_at: new Date(), marker: 'hellojohn' };
      try {
        await db('tenant_meta').insert(raw);
      } catch (err) {
        // Two provisioners raced: the loser reads what the winner wrote.
        if (!isUniqueViolation(err)) throw err;
        const winner = claimed(await get(), tenantId);
        if (winner) return winner;
        throw err;
      }
      return metaSchema.parse(raw);
    },
  };
}
