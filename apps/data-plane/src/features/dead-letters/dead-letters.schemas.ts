import { z } from 'zod';

/** `?limit=`: how many dead letters to show (they are read, never consumed). */
export const DeadLetterQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe('How many to show, 1-500 (default 50), oldest first.'),
});

export const ReplayDeadLettersBody = z.strictObject({
  limit: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('Replay at most this many, oldest first (default 100).'),
  confirm: z
    .literal(true)
    .describe('Must be true: replayed messages run again (provisioning, deprovisioning, ...).'),
});

const Mode = z
  .enum(['rabbitmq', 'in-process'])
  .describe(
    '`in-process` (embedded mode, no HJ_RABBITMQ_URL): there is no durable dead-letter queue to ' +
      'read; failures are in the logs and the control plane keeps the event in its outbox.',
  );

/** One dead letter, described without its payload (`data` may hold settings or secrets). */
export const DeadLetter = z.object({
  valid: z.boolean().describe('false: the body is not a valid event (the fields below are null).'),
  event_id: z.string().nullable(),
  type: z.string().nullable().describe('e.g. tenant.created'),
  tenant_id: z.string().nullable(),
  occurred_at: z.string().nullable(),
  attempts: z.number().int().nullable().describe('Deliveries tried before it was dead-lettered.'),
  reason: z.string().nullable().describe('Why the last attempt failed, as the consumer said.'),
  size_bytes: z.number().int(),
});

export const DeadLetterList = z.object({
  mode: Mode,
  queue: z.string().describe('The dead-letter queue read, e.g. data-plane.provisioning.dlq.'),
  data: z.array(DeadLetter),
  more: z.boolean().describe('true: the limit was reached; more may be waiting.'),
  note: z.string().optional(),
});

export const ReplayResult = z.object({
  mode: Mode,
  queue: z.string(),
  replayed: z.number().int().describe('Messages moved back, each retried from attempt 1.'),
  note: z.string().optional(),
});

export type DeadLetterView = z.input<typeof DeadLetter>;
export type DeadLetterListView = z.input<typeof DeadLetterList>;
export type ReplayResultView = z.input<typeof ReplayResult>;
