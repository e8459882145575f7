import type { TenantDb, UserRow } from '@hellojohn/dal';
import { createEvent, type DomainEventType, type EventDataMap } from '@hellojohn/events';
import { markSessionRevoked } from '../tenancy/session-revocation-marks';

/**
 * Writes a domain event (`user.created`, `session.revoked`, ...) to the tenant's outbox through
 * `db`: pass the transaction of the change it reports, so both commit or neither does
 * (docs/webhooks.md, "Outbox and relay"). The data is checked against its zod contract here, so
 * a bad payload fails the change instead of poisoning the relay; contracts hold ids and plain
 * attributes only, never a hash, token or secret. The relay is woken once the transaction
 * commits (the tenant pools' `domainEvents` hooks), so callers do nothing else.
 *
 * @example
 * await tenant.db.transaction(async (tx) => {
 *   await tx.users.delete(userId);
 *   await recordDomainEvent(tx, 'user.deleted', { user_id: userId });
 * });
 */
export async function recordDomainEvent<T extends DomainEventType>(
  db: TenantDb,
  type: T,
  data: EventDataMap[T],
): Promise<void> {
  const event = createEvent(type, db.tenantId, data);
  await db.domainEvents.append({ id: event.id, type: event.type, payload: event });
  // Every session revocation passes here: this replica's session cache stops trusting it now.
  if (type === 'session.revoked') {
    // `T` does not narrow `data` by `type`: this is the `session.revoked` contract's data.
    const { session_id } = data as EventDataMap['session.revoked'];
    markSessionRevoked(db.tenantId, session_id);
  }
}

/**
 * Records `user.created` for a freshly created user: the one call every way of creating a user
 * (sign-up, tenant admin, hosted login, federation, import) makes in its transaction.
 *
 * @example
 * const user = await tx.users.create(input);
 * await recordUserCreated(tx, user);
 */
export function recordUserCreated(
  db: TenantDb,
  user: Pick<UserRow, 'id' | 'email' | 'emailVerified' | 'name'>,
): Promise<void> {
  return recordDomainEvent(db, 'user.created', {
    user_id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
  });
}

/**
 * Records one `session.revoked` per session in `sessionIds` (all the user's, ended for `reason`):
 * the call every bulk revocation makes in its transaction with the ids the repository revoked.
 *
 * @example
 * const ids = await tx.sessions.revokeForClientListed(userId, clientId, 'consent_revoked');
 * await recordSessionsRevoked(tx, userId, ids, 'consent_revoked');
 */
export async function recordSessionsRevoked(
  db: TenantDb,
  userId: string,
  sessionIds: readonly string[],
  reason: string,
): Promise<void> {
  for (const sessionId of sessionIds) {
    await recordDomainEvent(db, 'session.revoked', {
      user_id: userId,
      session_id: sessionId,
      reason,
    });
  }
}
