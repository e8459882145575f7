import type { AuditAction, UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { checkPassword } from '../../credentials/check-password';
import type { Caller } from '../../guards/require-user';
import type { TenantContext } from '../../tenancy/tenant-context';
import { refuseSoleOwnerDeletion } from '../organizations';
import {
  changedFields,
  deleteUserRecorded,
  recordDomainEvent,
  revokeUserSessionsRecorded,
} from '../../outbox';

export interface ProfilePatch {
  name?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/** The signed-in user's own account: profile, password, deletion. */
export interface AccountService {
  get(tenant: TenantContext, caller: Caller): Promise<UserRow>;
  update(tenant: TenantContext, caller: Caller, patch: ProfilePatch): Promise<UserRow>;
  /** Checks the current password, sets the new one, and ends every other session. */
  changePassword(
    tenant: TenantContext,
    caller: Caller,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<void>;
  /** Deletes the user (sessions, tokens and credentials go with it) after checking the password. */
  delete(tenant: TenantContext, caller: Caller, password: string, meta: RequestMeta): Promise<void>;
}

export function createAccountService(deps: {
  hashers: (cost: number) => PasswordHasher;
}): AccountService {
  async function load(tenant: TenantContext, caller: Caller): Promise<UserRow> {
    const user = await tenant.db.users.findById(caller.userId);
    // requireUser checked the session a moment ago; the user can only have vanished since.
    if (!user) throw new AppError('invalid_token', 'The user no longer exists.');
    return user;
  }

  async function verifyPassword(
    tenant: TenantContext,
    user: UserRow,
    password: string,
    meta: RequestMeta,
    action: AuditAction,
  ): Promise<void> {
    const hash = await tenant.db.credentials.getPasswordHash(user.id);
    if (await deps.hashers(tenant.policy.bcryptCost).verify(password, hash)) return;
    await audit(tenant.db, meta, {
      action,
      outcome: 'failure',
      userId: user.id,
      details: { reason: 'wrong_password' },
    });
    throw new AppError('invalid_credentials', 'The current password is incorrect.');
  }

  return {
    get: load,

    async update(tenant, caller, patch) {
      await load(tenant, caller);
      const updated = await tenant.db.transaction(async (tx) => {
        const row = await tx.users.update(caller.userId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
        });
        if (row) {
          await recordDomainEvent(tx, 'user.updated', {
            user_id: caller.userId,
            fields: changedFields(patch),
          });
        }
        return row;
      });
      if (!updated) throw new AppError('invalid_token', 'The user no longer exists.');
      return updated;
    },

    async changePassword(tenant, caller, input, meta) {
      const user = await load(tenant, caller);
      await verifyPassword(tenant, user, input.currentPassword, meta, 'user.password_changed');
      checkPassword(tenant.policy, input.newPassword, 'body.new_password');
      const hash = await deps.hashers(tenant.policy.bcryptCost).hash(input.newPassword);
      const revoked = await tenant.db.transaction(async (tx) => {
        await tx.credentials.setPassword(user.id, hash);
        await recordDomainEvent(tx, 'user.password_changed', { user_id: user.id });
        return revokeUserSessionsRecorded(tx, user.id, 'password_changed', caller.sessionId);
      });
      await audit(tenant.db, meta, {
        action: 'user.password_changed',
        outcome: 'success',
        userId: user.id,
        details: { other_sessions_revoked: revoked },
      });
    },

    async delete(tenant, caller, password, meta) {
      const user = await load(tenant, caller);
      await verifyPassword(tenant, user, password, meta, 'user.deleted');
      const outcome = await deleteUserRecorded(tenant.db, user.id);
      if (typeof outcome === 'object') {
        throw await refuseSoleOwnerDeletion(tenant.db, meta, { userId: user.id }, outcome);
      }
      await audit(tenant.db, meta, {
        action: 'user.deleted',
        outcome: 'success',
        userId: user.id,
      });
    },
  };
}
