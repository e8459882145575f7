import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbJson, toJson } from '../internal/columns';

const roleSchema = z
  .object({
    id: z.string(),
    organization_id: z.string().nullable(),
    key: z.string(),
    name: z.string(),
    permissions: dbJson.pipe(z.array(z.string())),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    key: r.key,
    name: r.name,
    permissions: r.permissions,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A role: a named set of permissions, tenant-wide (`organizationId` null) or per organization. */
export type RoleRow = z.output<typeof roleSchema>;

/** What {@link RoleRepository.insert} needs. */
export type NewRole = Pick<RoleRow, 'id' | 'organizationId' | 'key' | 'name' | 'permissions'>;

/** A tenant's roles. */
export interface RoleRepository {
  insert(role: NewRole): Promise<RoleRow>;
  /** Tenant-wide roles (usable in every organization), by key. */
  listTenantWide(): Promise<RoleRow[]>;
}

/** Builds the role repository over a tenant's knex handle or transaction. */
export function createRoleRepository(db: Knex | Knex.Transaction): RoleRepository {
  const parse = (row: unknown): RoleRow => roleSchema.parse(row);
  return {
    async insert(role) {
      const now = new Date();
      const raw = {
        id: role.id,
        organization_id: role.organizationId,
        key: role.key,
        name: role.name,
        permissions: toJson(role.permissions),
        created_at: now,
        updated_at: now,
      };
      try {
        await db('roles').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async listTenantWide() {
      const rows = (await db('roles')
        .select('*')
        .whereNull('organization_id')
        .orderBy('key')) as unknown[];
      return rows.map(parse);
    },
  };
}
