import type { TenantDb } from '@hellojohn/dal';
import { recordDomainEvent, recordSessionsRevoked } from './record-domain-event';

type DeleteOutcome = Awaited<ReturnType<TenantDb['users']['deleteKeepingOrganizationOwners']>>;

/** The `reason` of the `session.revoked` events a deletion records. */
const SESSION_REASON = 'user_deleted';

/**
 * Deletes a user (never an organization's last owner: see the repository) and records
 * `session.revoked` for each of its live sessions (deleted with it) and `user.deleted`, in the
 * same transaction; the events exist only when the user is gone. Shared by `DELETE /v1/me` and
 * the tenant admins' `DELETE /v1/admin/users/{id}`.
 */
export function deleteUserRecorded(db: TenantDb, userId: string): Promise<DeleteOutcome> {
  return db.transaction(async (tx) => {
    // Read first: the rows go with the user (foreign key cascade).
    const live = await tx.sessions.listActiveForUser(userId);
    const outcome = await tx.users.deleteKeepingOrganizationOwners(userId);
    if (outcome !== 'deleted') return outcome;
    const ids = live.map((session) => session.id);
    await recordSessionsRevoked(tx, userId, ids, SESSION_REASON);
    await recordDomainEvent(tx, 'user.deleted', { user_id: userId });
    return outcome;
  });
}
