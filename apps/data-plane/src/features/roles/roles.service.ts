import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type RoleRow, type TenantDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';

/**
 * The organization roles every organization relies on (seeded tenant-wide at provisioning):
 * editable, never deletable.
 */
const BUILT_IN_ROLES: ReadonlySet<string> = new Set(['owner', 'admin', 'member']);

/** Who changes roles: a tenant admin (`cp-admin:<id>`) or an organization member (`user:<id>`). */
export type RoleActor = string;

export interface NewRoleInput {
  key: string;
  name: string;
  permissions: string[];
}

export interface RolePatchInput {
  name?: string | undefined;
  permissions?: string[] | undefined;
}

/**
 * Roles in one scope: tenant-wide (`organizationId` null, tenant RBAC and the defaults every
 * organization uses) or one organization's custom roles. Every change is audited.
 */
export interface RoleService {
  list(tenant: TenantContext, organizationId: string | null): Promise<RoleRow[]>;
  get(tenant: TenantContext, organizationId: string | null, key: string): Promise<RoleRow>;
  create(
    tenant: TenantContext,
    organizationId: string | null,
    input: NewRoleInput,
    actor: RoleActor,
    meta: RequestMeta,
  ): Promise<RoleRow>;
  update(
    tenant: TenantContext,
    organizationId: string | null,
    key: string,
    patch: RolePatchInput,
    actor: RoleActor,
    meta: RequestMeta,
  ): Promise<RoleRow>;
  /** Built-in roles and organization roles still held by a member are `role_in_use`. */
  remove(
    tenant: TenantContext,
    organizationId: string | null,
    key: string,
    actor: RoleActor,
    meta: RequestMeta,
  ): Promise<void>;
  /** Tenant RBAC: gives a user a tenant-wide role (idempotent). */
  assign(
    tenant: TenantContext,
    userId: string,
    key: string,
    actor: RoleActor,
    meta: RequestMeta,
  ): Promise<void>;
  /** Tenant RBAC: takes a tenant-wide role from a user (idempotent). */
  unassign(
    tenant: TenantContext,
    userId: string,
    key: string,
    actor: RoleActor,
    meta: RequestMeta,
  ): Promise<void>;
}

async function find(db: TenantDb, organizationId: string | null, key: string): Promise<RoleRow> {
  const role = await db.roles.findByKey(organizationId, key);
  if (!role) throw new AppError('role_not_found', `No role "${key}" (params.role).`);
  return role;
}

export function createRoleService(): RoleService {
  const scopeDetails = (organizationId: string | null) =>
    organizationId === null ? {} : { organization_id: organizationId };

  async function user(db: TenantDb, userId: string): Promise<void> {
    if (!(await db.users.findById(userId))) throw new AppError('user_not_found');
  }

  return {
    list: (tenant, organizationId) =>
      organizationId === null
        ? tenant.db.roles.listTenantWide()
        : tenant.db.roles.listForOrganization(organizationId),

    get: (tenant, organizationId, key) => find(tenant.db, organizationId, key),

    async create(tenant, organizationId, input, actor, meta) {
      // An organization role may not shadow a built-in one: `owner` means owner everywhere.
      if (organizationId !== null && BUILT_IN_ROLES.has(input.key)) {
        throw new AppError('role_key_taken', `"${input.key}" is a built-in role (body.key).`);
      }
      let role: RoleRow;
      try {
        role = await tenant.db.roles.insert({
          id: randomUUID(),
          organizationId,
          key: input.key,
          name: input.name,
          permissions: input.permissions,
        });
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new AppError('role_key_taken', `A role "${input.key}" exists (body.key).`);
        }
        throw error;
      }
      await audit(tenant.db, meta, {
        action: 'role.created',
        outcome: 'success',
        actor,
        target: role.key,
        details: { ...scopeDetails(organizationId), permissions: role.permissions },
      });
      return role;
    },

    async update(tenant, organizationId, key, patch, actor, meta) {
      const role = await find(tenant.db, organizationId, key);
      const updated = await tenant.db.roles.update(role.id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.permissions !== undefined ? { permissions: patch.permissions } : {}),
      });
      if (!updated) throw new AppError('role_not_found');
      await audit(tenant.db, meta, {
        action: 'role.updated',
        outcome: 'success',
        actor,
        target: key,
        details: { ...scopeDetails(organizationId), fields: Object.keys(patch) },
      });
      return updated;
    },

    async remove(tenant, organizationId, key, actor, meta) {
      const role = await find(tenant.db, organizationId, key);
      if (organizationId === null && BUILT_IN_ROLES.has(key)) {
        throw new AppError('role_in_use', `"${key}" is a built-in organization role.`);
      }
      // A tenant-wide role may be an organization role too (membership role keys fall back to
      // tenant-wide roles): deleting it while members hold it would strip them silently.
      if ((await tenant.db.memberships.countWithRole(organizationId, key)) > 0) {
        throw new AppError('role_in_use', `Members still hold "${key}"; change their role first.`);
      }
      if (!(await tenant.db.roles.delete(role.id))) throw new AppError('role_not_found');
      await audit(tenant.db, meta, {
        action: 'role.deleted',
        outcome: 'success',
        actor,
        target: key,
        details: scopeDetails(organizationId),
      });
    },

    async assign(tenant, userId, key, actor, meta) {
      await user(tenant.db, userId);
      const role = await find(tenant.db, null, key);
      let added: boolean;
      try {
        added = await tenant.db.userRoles.assign(userId, role.id);
      } catch (error) {
        // The user or role was deleted in between.
        if (error instanceof NotFoundError) throw new AppError('user_not_found');
        throw error;
      }
      if (!added) return;
      await audit(tenant.db, meta, {
        action: 'role.assigned',
        outcome: 'success',
        actor,
        userId,
        details: { role: key },
      });
    },

    async unassign(tenant, userId, key, actor, meta) {
      await user(tenant.db, userId);
      const role = await find(tenant.db, null, key);
      if (!(await tenant.db.userRoles.unassign(userId, role.id))) return;
      await audit(tenant.db, meta, {
        action: 'role.unassigned',
        outcome: 'success',
        actor,
        userId,
        details: { role: key },
      });
    },
  };
}
