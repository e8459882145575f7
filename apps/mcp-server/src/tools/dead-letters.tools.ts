import { z } from 'zod';
import { defineTool, itemResult } from './define-tool';

const dlqOutput = {
  mode: z.enum(['rabbitmq', 'in-process']),
  queue: z.string(),
};

/** The data plane's provisioning dead-letter queue (docs/operations.md, "Dead letters"). */
export const deadLetterTools = [
  defineTool({
    name: 'dlq_list',
    example: { limit: 20 },
    title: 'List dead-lettered provisioning events',
    description:
      "The data plane's provisioning dead-letter queue, oldest first, read without consuming: " +
      'for each event its type (tenant.created, ...), tenant id, event id, attempts and failure ' +
      'reason; never its payload. Use when a tenant is stuck in "failed" or "provisioning". In ' +
      'embedded mode (no RabbitMQ) it is always empty with mode "in-process". Needs an operator ' +
      'credential granted every tenant.',
    kind: 'read',
    idempotent: true,
    input: {
      limit: z.number().int().min(1).max(500).default(50).describe('1-500 (default 50).'),
    },
    output: {
      ...dlqOutput,
      items: z.array(z.record(z.string(), z.unknown())),
      more: z.boolean(),
    },
    run: async (args, ctx) => {
      const list = await ctx.ops.deadLetters.list(await ctx.token(), { limit: args.limit });
      const { data, ...rest } = list;
      const more = list.more ? ' (more waiting: raise limit)' : '';
      return itemResult(
        { ...rest, items: data },
        `${String(data.length)} dead letters in ${list.queue}${more}${list.note ? `; ${list.note}` : ''}`,
      );
    },
  }),
  defineTool({
    name: 'dlq_replay',
    example: { limit: 10, confirm: true },
    title: 'Replay dead-lettered provisioning events',
    description:
      'Moves up to `limit` dead-lettered provisioning events (oldest first) back to the queue with ' +
      'a fresh attempt count, so the data plane runs them again (provisioning, deletion, key ' +
      'rotation). Only once the cause is fixed (dlq_list shows the reasons): an event that fails ' +
      'again returns to the dead-letter queue. Needs an owner or admin granted every tenant.',
    kind: 'destructive',
    idempotent: false,
    input: {
      limit: z.number().int().min(1).max(10_000).default(100).describe('Default 100.'),
    },
    output: { ...dlqOutput, replayed: z.number() },
    run: async (args, ctx) => {
      const result = await ctx.ops.deadLetters.replay(await ctx.token(), {
        limit: args.limit,
        confirm: true,
      });
      return itemResult(
        result,
        `replayed ${String(result.replayed)} from ${result.queue}${result.note ? `; ${result.note}` : ''}`,
      );
    },
  }),
];
