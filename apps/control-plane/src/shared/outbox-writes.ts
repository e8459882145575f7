import type { GlobalDb } from '@hellojohn/dal';
import { createEvent, type EventDataMap, type EventType } from '@hellojohn/events';

/**
 * Runs a write and the outbox rows of its events in one transaction, then nudges the relay so
 * the events go out without waiting for its poll.
 */
export function outboxWriter(db: GlobalDb, onOutboxWrite: () => void) {
  return async function write<T>(fn: (tx: GlobalDb) => Promise<T>): Promise<T> {
    const result = await db.transaction(fn);
    onOutboxWrite();
    return result;
  };
}

/** Adds an event to the outbox inside `tx`: it is published only if the transaction commits. */
export async function addToOutbox<T extends EventType>(
  tx: GlobalDb,
  type: T,
  tenantId: string,
  data: EventDataMap[T],
): Promise<void> {
  const event = createEvent(type, tenantId, data);
  await tx.outbox.add({ id: event.id, type: event.type, tenantId, payload: event });
}
