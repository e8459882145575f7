import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventDataMap } from './contracts/event-data';
import { eventDataSchemas } from './contracts/event-data';
import { InvalidEventError } from './errors';
import type { EventType } from './event-types';
import { EVENT_TYPES } from './event-types';

/**
 * The envelope every event travels in (design §3). Strict: an unknown top-level key is a contract
 * break, not something to ignore; evolving the envelope means bumping `version`. `data` is checked
 * against its type's contract by {@link parseEvent}.
 */
export const eventEnvelopeSchema = z.strictObject({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  version: z.literal(1),
  occurred_at: z.iso.datetime({ offset: true }),
  tenant_id: z.uuid(),
  data: z.record(z.string(), z.unknown()),
});

/**
 * An event of type `T`. With the default `T` this is a union discriminated by `type`, so
 * `if (event.type === 'tenant.created') event.data.slug` type-checks.
 */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: {
    /** Idempotency key: consumers must tolerate seeing the same id twice. */
    id: string;
    type: K;
    version: 1;
    /** ISO-8601 timestamp of the change that caused the event. */
    occurred_at: string;
    tenant_id: string;
    data: EventDataMap[K];
  };
}[T];

function parseData<T extends EventType>(type: T, data: unknown): EventDataMap[T] {
  const result = eventDataSchemas[type].safeParse(data);
  if (!result.success) {
    throw new InvalidEventError(
      result.error.issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] })),
    );
  }
  // The schema looked up by `type` produces exactly EventDataMap[T]; TypeScript cannot follow a
  // generic index into a union of schemas.
  return result.data as EventDataMap[T];
}

/**
 * Builds a validated envelope with a fresh id and the current time.
 *
 * @example
 * const event = createEvent('client.created', tenant.id, { client_id: 'abc' });
 */
export function createEvent<T extends EventType>(
  type: T,
  tenantId: string,
  data: EventDataMap[T],
  options: { id?: string; occurredAt?: Date } = {},
): EventEnvelope<T> {
  const parsedData = parseData(type, data);
  const envelope = eventEnvelopeSchema.safeParse({
    id: options.id ?? randomUUID(),
    type,
    version: 1,
    occurred_at: (options.occurredAt ?? new Date()).toISOString(),
    tenant_id: tenantId,
    data: parsedData,
  });
  if (!envelope.success) throw new InvalidEventError(envelope.error.issues);
  return { ...envelope.data, type, data: parsedData };
}

/**
 * Validates an untrusted value (a decoded message body, an outbox row) as an envelope and its
 * `data` against the contract of its `type`. Unknown keys inside `data` are dropped.
 *
 * @throws InvalidEventError with every issue found.
 * @example
 * const event = parseEvent(JSON.parse(message.content.toString('utf8')));
 */
export function parseEvent(raw: unknown): EventEnvelope {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError(envelope.error.issues);
  const data = parseData(envelope.data.type, envelope.data.data);
  // `data` was validated against the schema selected by this very `type`.
  return { ...envelope.data, data } as EventEnvelope;
}
