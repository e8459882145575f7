import type { DeadLetterMessage } from '@hellojohn/events';
import type { DeadLetterView } from './dead-letters.schemas';

/**
 * The failure reason, without what a parser quoted of the body (JSON.parse's message carries the
 * body's first characters, which may be a secret).
 */
function safeReason(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  return reason.startsWith('body is not JSON') ? 'body is not JSON' : reason.slice(0, 500);
}

/** What an operator may see of a dead letter: the envelope's header, never its `data`. */
export function describeDeadLetter(message: DeadLetterMessage): DeadLetterView {
  const event = message.event;
  return {
    valid: event !== undefined,
    event_id: event?.id ?? null,
    type: event?.type ?? null,
    tenant_id: event?.tenant_id ?? null,
    occurred_at: event?.occurred_at ?? null,
    attempts: message.attempts ?? null,
    reason: safeReason(message.reason),
    size_bytes: Buffer.byteLength(message.raw, 'utf8'),
  };
}
