import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook was refused. */
export type WebhookVerificationErrorCode =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'invalid_signature'
  | 'invalid_body';

/** Thrown by {@link verifyWebhook}; answer the sender 400 (or 401) and do not act on the body. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** A HelloJohn webhook body: `{type, timestamp, data}`. */
export interface WebhookPayload<T = Record<string, unknown>> {
  /** The event type, e.g. `user.created`. */
  type: string;
  /** ISO-8601 time of the change. */
  timestamp: string;
  data: T;
}

/** Header bags as Node (`req.headers`) or fetch (`Headers`) give them. */
export type WebhookHeaders =
  Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 s (Standard Webhooks). */
  toleranceSeconds?: number;
  /** The current time; default now. */
  now?: Date;
}

const SECRET_PREFIX = 'whsec_';

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value =
    record[name] ??
    Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1] ??
    undefined;
  return Array.isArray(value) ? value[0] : value;
}

function keyOf(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new TypeError('the webhook secret is not a whsec_ secret');
  return key;
}

/**
 * Verifies a webhook per the Standard Webhooks specification and returns its parsed body. The
 * signature is an HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{raw body}`; the header may
 * carry several space-separated `v1,<base64>` signatures (during a secret rotation both secrets
 * sign), and one match is enough. Comparisons are constant-time. Pass the body exactly as
 * received (a re-serialized JSON object will not match), and keep `webhook-id` to drop repeats:
 * delivery is at least once.
 *
 * @throws WebhookVerificationError
 * @example
 * app.post('/hooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   const event = verifyWebhook(process.env.HJ_WEBHOOK_SECRET!, req.headers, req.body);
 *   if (event.type === 'user.created') { ... }
 *   res.sendStatus(204);
 * });
 */
export function verifyWebhook<T = Record<string, unknown>>(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): WebhookPayload<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a number');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      'webhook-timestamp is too far from now (a replay, or a skewed clock)',
    );
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest();
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, encoded] = entry.split(',', 2);
    if (version !== 'v1' || encoded === undefined) continue;
    const given = Buffer.from(encoded, 'base64');
    // Every candidate is compared, so the time taken does not say which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) {
    throw new WebhookVerificationError('invalid_signature', 'no signature matches the secret');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('invalid_body', 'the body is not JSON');
  }
  return parsed as WebhookPayload<T>;
}
