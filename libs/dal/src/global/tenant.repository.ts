import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbJsonObject, toJson } from '../internal/columns';
import { isUuid } from '../internal/ids';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

/** Lifecycle of a tenant: the data plane moves it out of `provisioning`. */
export const tenantStatuses = ['provisioning', 'active', 'failed', 'deleting'] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

const tenantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(tenantStatuses),
    status_reason: z.string().nullable(),
    database_mode: z.enum(['managed', 'external']),
    database_driver: z.enum(['pg', 'mysql', 'sqlite']).nullable(),
    database_dsn_encrypted: z.string().nullable(),
    settings: dbJsonObject,
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    status: r.status,
    statusReason: r.status_reason,
    databaseMode: r.database_mode,
    databaseDriver: r.database_driver,
    databaseDsnEncrypted: r.database_dsn_encrypted,
    settings: r.settings,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A tenant as the control plane stores it. */
export type TenantRow = z.output<typeof tenantSchema>;

/** What {@link TenantRepository.create} needs; status defaults to `provisioning`. */
export interface NewTenant {
  id: string;
  slug: string;
  name: string;
  status?: TenantStatus;
  databaseMode: 'managed' | 'external';
  databaseDriver?: 'pg' | 'mysql' | 'sqlite' | null;
  /** The external DSN, already encrypted with the control plane's master key. */
  databaseDsnEncrypted?: string | null;
  settings?: Record<string, unknown>;
}

/** Tenants in the global database. */
export interface TenantRepository {
  create(tenant: NewTenant): Promise<TenantRow>;
  findById(id: string): Promise<TenantRow | undefined>;
  findBySlug(slug: string): Promise<TenantRow | undefined>;
  /** By id when the reference is a UUID, else by slug. */
  findByRef(idOrSlug: string): Promise<TenantRow | undefined>;
  /** `ids` narrows the list to those tenants (an operator's grant). */
  list(
    request: PageRequest & {
      status?: TenantStatus | undefined;
      ids?: readonly string[] | undefined;
    },
  ): Promise<Page<TenantRow>>;
  update(
    id: string,
    patch: { name?: string; settings?: Record<string, unknown> },
  ): Promise<TenantRow | undefined>;
  setStatus(id: string, status: TenantStatus, reason: string | null): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

/** Builds the tenant repository over a knex handle or transaction. */
export function createTenantRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): TenantRepository {
  const parse = (row: unknown): TenantRow => tenantSchema.parse(row);
  const first = async (where: Record<string, string>): Promise<TenantRow | undefined> => {
    const row: unknown = await db('tenants').where(where).first();
    return row === undefined ? undefined : parse(row);
  };

  return {
    async create(tenant) {
      const now = new Date();
      const raw = {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        status: tenant.status ?? 'provisioning',
        status_reason: null,
        database_mode: tenant.databaseMode,
        database_driver: tenant.databaseDriver ?? null,
        database_dsn_encrypted: tenant.databaseDsnEncrypted ?? null,
        settings: toJson(tenant.settings ?? {}),
        created_at: now,
        updated_at: now,
      };
      try {
        await db('tenants').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findById: (id) => first({ id }),
    findBySlug: (slug) => first({ slug }),
    findByRef: (ref) => (isUuid(ref) ? first({ id: ref.toLowerCase() }) : first({ slug: ref })),
    list(request) {
      const query = db('tenants').select('*');
      if (request.status !== undefined) void query.where({ status: request.status });
      if (request.ids !== undefined) void query.whereIn('id', [...request.ids]);
      return keysetPage(query, request, parse, { cursors });
    },
    async update(id, patch) {
      const changes: Record<string, unknown> = { updated_at: new Date() };
      if (patch.name !== undefined) changes['name'] = patch.name;
      if (patch.settings !== undefined) changes['settings'] = toJson(patch.settings);
      const count = await db('tenants').where({ id }).update(changes);
      return count === 0 ? undefined : first({ id });
    },
    async setStatus(id, status, reason) {
      const count = await db('tenants')
        .where({ id })
        .update({ status, status_reason: reason, updated_at: new Date() });
      return count > 0;
    },
    async delete(id) {
      return (await db('tenants').where({ id }).delete()) > 0;
    },
  };
}
