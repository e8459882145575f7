import type { Message, MessagePropertyHeaders, Options } from 'amqplib';
import {
  ATTEMPTS_HEADER,
  DEATH_REASON_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
} from './topology';

/** Headers as plain unknowns: amqplib types them `any`. */
export function headersOf(headers: MessagePropertyHeaders | undefined): Record<string, unknown> {
  return { ...(headers ?? {}) };
}

export function readAttempts(headers: Record<string, unknown>): number {
  const value = headers[ATTEMPTS_HEADER];
  const attempts = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isInteger(attempts) && attempts > 0 ? attempts : 0;
}

export function readDeathReason(headers: Record<string, unknown>): string | undefined {
  const reason = headers[DEATH_REASON_HEADER] ?? headers['x-first-death-reason'];
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Headers for a republished copy: ours are rewritten by the caller, and RabbitMQ's dead-lettering
 * history is dropped because a copy is a new message (and a stale `x-death` could trip the
 * broker's dead-letter cycle detection).
 */
export function carriedHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (key === 'x-death' || key.startsWith('x-first-death') || key.startsWith('x-last-death')) {
      continue;
    }
    if (key === 'x-delivery-count') continue;
    kept[key] = value;
  }
  return kept;
}

/** The exchange and routing key a message was first published with. */
export function originalTarget(
  message: Message,
  headers: Record<string, unknown>,
): { exchange: string; routingKey: string } {
  const key = headers[ORIGINAL_ROUTING_KEY_HEADER];
  const exchange = headers[ORIGINAL_EXCHANGE_HEADER];
  return {
    exchange: typeof exchange === 'string' ? exchange : message.fields.exchange,
    routingKey: typeof key === 'string' ? key : message.fields.routingKey,
  };
}

/** Publish options that keep a message's identity when it is copied to another queue. */
export function copiedProperties(message: Message): Options.Publish {
  const props: Record<string, unknown> = { ...message.properties };
  const text = (key: string): string | undefined => {
    const value = props[key];
    return typeof value === 'string' ? value : undefined;
  };
  const timestamp = props['timestamp'];
  return {
    persistent: true,
    messageId: text('messageId'),
    type: text('type'),
    contentType: text('contentType'),
    contentEncoding: text('contentEncoding'),
    appId: text('appId'),
    correlationId: text('correlationId'),
    timestamp: typeof timestamp === 'number' ? timestamp : undefined,
  };
}
