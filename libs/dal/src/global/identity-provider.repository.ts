import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbBool, dbDate, dbJsonObject, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const TABLE = 'identity_providers';

const identityProviderSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    type: z.string(),
    name: z.string(),
    enabled: dbBool,
    config: dbJsonObject,
    secret_sealed: z.string().nullable(),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    type: r.type,
    name: r.name,
    enabled: r.enabled,
    /** What the control plane validated on write (issuer, client_id, scopes, mapping, ...). */
    config: r.config,
    /** The client secret (or Apple's private key), sealed with the master key; null if none. */
    secretSealed: r.secret_sealed,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A tenant's upstream identity provider (docs/federation.md). */
export type IdentityProviderRow = z.output<typeof identityProviderSchema>;

/** What an operator sets on an identity provider. */
export interface IdentityProviderSettings {
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  secretSealed: string | null;
}

/** What {@link IdentityProviderRepository.create} needs. */
export interface NewIdentityProvider extends IdentityProviderSettings {
  id: string;
  tenantId: string;
  type: string;
}

function settingsColumns(settings: Partial<IdentityProviderSettings>): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    name: settings.name,
    enabled: settings.enabled,
    config: settings.config && toJson(settings.config),
    secret_sealed: settings.secretSealed,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** Identity providers, always addressed within their tenant. */
export interface IdentityProviderRepository {
  create(provider: NewIdentityProvider): Promise<IdentityProviderRow>;
  find(tenantId: string, id: string): Promise<IdentityProviderRow | undefined>;
  listByTenant(tenantId: string, request: PageRequest): Promise<Page<IdentityProviderRow>>;
  /** Every provider of the tenant (bounded by the per-tenant limit), for the data plane. */
  listAll(tenantId: string): Promise<IdentityProviderRow[]>;
  countByTenant(tenantId: string): Promise<number>;
  update(
    tenantId: string,
    id: string,
    patch: Partial<IdentityProviderSettings>,
  ): Promise<IdentityProviderRow | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** Builds the identity-provider repository over a knex handle or transaction. */
export function createIdentityProviderRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): IdentityProviderRepository {
  const parse = (row: unknown): IdentityProviderRow => identityProviderSchema.parse(row);
  const find = async (tenantId: string, id: string): Promise<IdentityProviderRow | undefined> => {
    const row: unknown = await db(TABLE).where({ tenant_id: tenantId, id }).first();
    return row === undefined ? undefined : parse(row);
  };
  return {
    async create(provider) {
      const now = new Date();
      const raw = {
        id: provider.id,
        tenant_id: provider.tenantId,
        type: provider.type,
        name: provider.name,
        enabled: provider.enabled,
        config: toJson(provider.config),
        secret_sealed: provider.secretSealed,
        created_at: now,
        updated_at: now,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    find,
    listByTenant(tenantId, request) {
      return keysetPage(db(TABLE).select('*').where({ tenant_id: tenantId }), request, parse, {
        cursors,
      });
    },
    async listAll(tenantId) {
      const rows = (await db(TABLE)
        .where({ tenant_id: tenantId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])) as unknown[];
      return rows.map(parse);
    },
    async countByTenant(tenantId) {
      const row: unknown = await db(TABLE).where({ tenant_id: tenantId }).count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    async update(tenantId, id, patch) {
      const columns = settingsColumns(patch);
      if (Object.keys(columns).length > 0) {
        await db(TABLE)
          .where({ tenant_id: tenantId, id })
          .update({ ...columns, updated_at: new Date() });
      }
      return find(tenantId, id);
    },
    async delete(tenantId, id) {
      return (await db(TABLE).where({ tenant_id: tenantId, id }).delete()) > 0;
    },
  };
}
