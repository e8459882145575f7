import type { TenantDb } from '@hellojohn/dal';
import { recordDomainEvent } from './record-domain-event';

type DeleteOutcome = Awaited<ReturnType<TenantDb['users']['deleteKeepingOrganizationOwners']>>;

/**
 * Deletes a user (never an organization's last owner: see the repository) and records
 * `user.deleted` in the same transaction; the event exists only when the user is gone. Shared by
 * `DELETE /v1/me` and the tenant admins' `DELETE /v1/admin/users/{id}`.
 */
export function deleteUserRecorded(db: TenantDb, userId: string): Promise<DeleteOutcome> {
  return db.transaction(async (tx) => {
    const outcome = await tx.users.deleteKeepingOrganizationOwners(userId);
    if (outcome === 'deleted') await recordDomainEvent(tx, 'user.deleted', { user_id: userId });
    return outcome;
  });
}
