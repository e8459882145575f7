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

/** What {@link RoleRepository.update} may change. */
export type RolePatch = Partial<Pick<RoleRow, 'name' | 'permissions'>>;

/** A tenant's roles. */
export interface RoleRepository {
  /** Throws `ConflictError` when the key is taken in the same scope (tenant-wide or the organization). */
  insert(role: NewRole): Promise<RoleRow>;
  /** Tenant-wide roles (usable in every organization), by key. */
  listTenantWide(): Promise<RoleRow[]>;
  /** An organization's own roles, by key. */
  listForOrganization(organizationId: string): Promise<RoleRow[]>;
  findById(id: string): Promise<RoleRow | undefined>;
  /** The role with `key` in one scope: `organizationId` null for tenant-wide roles. */
  findByKey(organizationId: string | null, key: string): Promise<RoleRow | undefined>;
  update(id: string, patch: RolePatch): Promise<RoleRow | undefined>;
  /** Removes the role and its user assignments; false when unknown. */
  delete(id: string): Promise<boolean>;
}

/** Reads a `roles` row (shared with the user-role repository). */
export function parseRoleRow(row: unknown): RoleRow {
  return roleSchema.parse(row);
}

/** Builds the role repository over a tenant's knex handle or transaction. */
export function createRoleRepository(db: Knex | Knex.Transaction): RoleRepository {
  const parse = parseRoleRow;
  const findOne = async (where: Record<string, unknown>): Promise<RoleRow | undefined> => {
    const row: unknown = await db('roles').where(where).first();
    return row === undefined ? undefined : parse(row);
  };
  return {
    async insert(role) {
      const now = new Date();
      const raw = {
        id: role.id,
        organization_id: role.organizationId,
        organization_scope: role.organizationId ?? '',
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
    async listForOrganization(organizationId) {
      const rows = (await db('roles')
        .select('*')
        .where({ organization_id: organizationId })
        .orderBy('key')) as unknown[];
      return rows.map(parse);
    },
    findById: (id) => findOne({ id }),
    findByKey: (organizationId, key) => findOne({ organization_scope: organizationId ?? '', key }),
    async update(id, patch) {
      const changes: Record<string, unknown> = { updated_at: new Date() };
      if (patch.name !== undefined) changes['name'] = patch.name;
      if (patch.permissions !== undefined) changes['permissions'] = toJson(patch.permissions);
      const count = await db('roles').where({ id }).update(changes);
      return count === 0 ? undefined : findOne({ id });
    },
    async delete(id) {
      return (await db('roles').where({ id }).delete()) > 0;
    },
  };
}
