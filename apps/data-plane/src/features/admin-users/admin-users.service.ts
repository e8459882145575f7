import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  InvalidCursorError,
  normalizeEmail,
  type Page,
  type UserRow,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { checkPassword } from '../../credentials/check-password';
import type { AdminActor } from '../../guards/require-cp-admin';
import type { TenantContext } from '../../tenancy/tenant-context';
import { refuseSoleOwnerDeletion } from '../organizations';
import {
  changedFields,
  deleteUserRecorded,
  recordDomainEvent,
  recordUserCreated,
  revokeUserSessionsRecorded,
} from '../../outbox';

export interface NewUserByAdmin {
  email: string;
  password?: string | undefined;
  name?: string | undefined;
  emailVerified?: boolean | undefined;
}

export interface AdminUserPatch {
  name?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
  disabled?: boolean | undefined;
}

/** Tenant-admin user management on the data plane. Writes are audited under the admin. */
export interface AdminUserService {
  list(
    tenant: TenantContext,
    request: { limit: number; cursor?: string | undefined; email?: string | undefined },
  ): Promise<Page<UserRow>>;
  create(
    tenant: TenantContext,
    actor: AdminActor,
    input: NewUserByAdmin,
    meta: RequestMeta,
  ): Promise<UserRow>;
  get(tenant: TenantContext, userId: string): Promise<UserRow>;
  /** `disabled: true` also revokes every session: a disabled user is signed out at once. */
  update(
    tenant: TenantContext,
    actor: AdminActor,
    userId: string,
    patch: AdminUserPatch,
    meta: RequestMeta,
  ): Promise<UserRow>;
  delete(
    tenant: TenantContext,
    actor: AdminActor,
    userId: string,
    meta: RequestMeta,
  ): Promise<void>;
  signOut(
    tenant: TenantContext,
    actor: AdminActor,
    userId: string,
    meta: RequestMeta,
  ): Promise<number>;
}

export function createAdminUserService(deps: {
  hashers: (cost: number) => PasswordHasher;
}): AdminUserService {
  const actorOf = (actor: AdminActor): string => `cp-admin:${actor.adminId}`;

  async function get(tenant: TenantContext, userId: string): Promise<UserRow> {
    const user = await tenant.db.users.findById(userId);
    if (!user) throw new AppError('user_not_found');
    return user;
  }

  return {
    async list(tenant, request) {
      try {
        return await tenant.db.users.list({
          limit: request.limit,
          cursor: request.cursor,
          email: request.email === undefined ? undefined : normalizeEmail(request.email),
        });
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new AppError('invalid_cursor');
        throw error;
      }
    },

    async create(tenant, actor, input, meta) {
      if (input.password !== undefined)
        checkPassword(tenant.policy, input.password, 'body.password');
      const hash =
        input.password === undefined
          ? undefined
          : await deps.hashers(tenant.policy.bcryptCost).hash(input.password);
      let user: UserRow;
      try {
        user = await tenant.db.transaction(async (tx) => {
          const created = await tx.users.create({
            id: randomUUID(),
            email: input.email.trim(),
            emailNormalized: normalizeEmail(input.email),
            name: input.name ?? null,
            emailVerified: input.emailVerified ?? false,
          });
          if (hash !== undefined) await tx.credentials.setPassword(created.id, hash);
          await recordUserCreated(tx, created);
          return created;
        });
      } catch (error) {
        if (error instanceof ConflictError) throw new AppError('email_taken');
        throw error;
      }
      await audit(tenant.db, meta, {
        action: 'user.created',
        outcome: 'success',
        actor: actorOf(actor),
        userId: user.id,
      });
      return user;
    },

    get,

    async update(tenant, actor, userId, patch, meta) {
      await get(tenant, userId);
      const updated = await tenant.db.transaction(async (tx) => {
        const row = await tx.users.update(userId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
          ...(patch.disabled !== undefined
            ? { status: patch.disabled ? ('disabled' as const) : ('active' as const) }
            : {}),
        });
        if (patch.disabled === true) await revokeUserSessionsRecorded(tx, userId, 'user_disabled');
        if (row)
          await recordDomainEvent(tx, 'user.updated', {
            user_id: userId,
            fields: changedFields(patch),
          });
        return row;
      });
      if (!updated) throw new AppError('user_not_found');
      await audit(tenant.db, meta, {
        action: 'user.updated',
        outcome: 'success',
        actor: actorOf(actor),
        userId,
        details: { fields: Object.keys(patch) },
      });
      return updated;
    },

    async delete(tenant, actor, userId, meta) {
      const outcome = await deleteUserRecorded(tenant.db, userId);
      if (outcome === 'not_found') throw new AppError('user_not_found');
      if (outcome !== 'deleted') {
        const who = { userId, actor: actorOf(actor) };
        throw await refuseSoleOwnerDeletion(tenant.db, meta, who, outcome);
      }
      await audit(tenant.db, meta, {
        action: 'user.deleted',
        outcome: 'success',
        actor: actorOf(actor),
        userId,
      });
    },

    async signOut(tenant, actor, userId, meta) {
      await get(tenant, userId);
      const count = await tenant.db.transaction((tx) =>
        revokeUserSessionsRecorded(tx, userId, 'admin_sign_out'),
      );
      await audit(tenant.db, meta, {
        action: 'user.signed_out_everywhere',
        outcome: 'success',
        actor: actorOf(actor),
        userId,
        details: { sessions_revoked: count },
      });
      return count;
    },
  };
}
