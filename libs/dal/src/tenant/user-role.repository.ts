import type { Knex } from 'knex';
import { isUniqueViolation, mapDbError } from '../db-errors';
import type { RoleRow } from './role.repository';
import { parseRoleRow } from './role.repository';

/** Tenant RBAC: which tenant-wide roles each user holds. */
export interface UserRoleRepository {
  /**
   * Gives the user the role; false when they already held it. Throws `NotFoundError` when the
   * user or the role does not exist.
   */
  assign(userId: string, roleId: string): Promise<boolean>;
  /** Takes the role away; false when the user did not hold it. */
  unassign(userId: string, roleId: string): Promise<boolean>;
  /** The roles the user holds, by key. */
  listForUser(userId: string): Promise<RoleRow[]>;
}

/** Builds the user-role repository over a tenant's knex handle or transaction. */
export function createUserRoleRepository(db: Knex | Knex.Transaction): UserRoleRepository {
  return {
    async assign(userId, roleId) {
      try {
        // A savepoint inside a caller's transaction: a duplicate must not abort it on pg.
        await db.transaction(async (trx) => {
          await trx('user_roles').insert({
            user_id: userId,
            role_id: roleId,
            created_at: new Date(),
          });
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw mapDbError(err);
      }
    },
    async unassign(userId, roleId) {
      return (await db('user_roles').where({ user_id: userId, role_id: roleId }).delete()) > 0;
    },
    async listForUser(userId) {
      const rows = (await db('roles')
        .join('user_roles', 'user_roles.role_id', 'roles.id')
        .where('user_roles.user_id', userId)
        .select('roles.*')
        .orderBy('roles.key')) as unknown[];
      return rows.map(parseRoleRow);
    },
  };
}
