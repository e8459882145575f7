import type { UpdateWebhookInput, Webhook } from '@hellojohn/sdk';
import { InvalidArgumentError, type Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

/** A repeatable `--event`: an event type, `<entity>.*` or `*`. */
const events = (value: string, previous: string[] = []): string[] =>
  value.trim() === '' ? previous : [...previous, value.trim()];

function seconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected seconds');
  return Number(value);
}

function limit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100) {
    throw new InvalidArgumentError('expected 1-100');
  }
  return Number(value);
}

const WEBHOOK_COLUMNS = ['id', 'url', 'event_types', 'enabled', 'failing_since', 'description'];

/** The table joins the event filters; `--json` prints webhooks whole. */
const row = (webhook: Webhook) => ({ ...webhook, event_types: webhook.event_types.join(' ') });

/** A tenant's webhooks and their delivery log (docs/webhooks.md). */
export function webhooksCommand(program: Command, io: Io): void {
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const webhooks = program
    .command('webhooks')
    .description("Manage a tenant's webhooks and see their deliveries")
    .requiredOption('--tenant <tenant>', 'tenant slug or id');
  const tenant = () => webhooks.opts<{ tenant: string }>().tenant;
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());

  webhooks
    .command('list')
    .description('List the webhooks (all pages)')
    .action(async () => {
      const rows: Webhook[] = [];
      for await (const webhook of client().webhooks.iterate(tenant(), { limit: 100 })) {
        rows.push(webhook);
      }
      if (json()) printRows(io, rows, WEBHOOK_COLUMNS, true);
      else printRows(io, rows.map(row), WEBHOOK_COLUMNS, false);
    });

  webhooks
    .command('get <id>')
    .description('Show a webhook (never its secret)')
    .action(async (id: string) => {
      printObject(io, await client().webhooks.get(tenant(), id), json());
    });

  webhooks
    .command('create')
    .description('Create a webhook; its signing secret is printed once')
    .requiredOption(
      '--endpoint <url>',
      'https URL the deliveries are POSTed to (not --url: that names the control plane)',
    )
    .requiredOption(
      '--event <type>',
      'event type, <entity>.* or *; repeatable (e.g. --event user.created --event organization.*)',
      events,
    )
    .option('--description <text>', 'what the endpoint is for')
    .option('--disabled', 'create it disabled')
    .action(
      async (options: {
        endpoint: string;
        event: string[];
        description?: string;
        disabled?: true;
      }) => {
        const created = await client().webhooks.create(tenant(), {
          url: options.endpoint,
          event_types: options.event,
          enabled: options.disabled !== true,
          ...(options.description !== undefined && { description: options.description }),
        });
        printObject(io, created, json());
      },
    );

  webhooks
    .command('update <id>')
    .description('Change a webhook (only the flags given)')
    .option('--endpoint <url>', 'new URL the deliveries are POSTed to')
    .option('--event <type>', 'event filter, repeatable; replaces them all', events)
    .option('--description <text>', 'new description ("" clears it)')
    .option('--enable', 'enable it')
    .option('--disable', 'disable it (pending deliveries fail at their next attempt)')
    .action(
      async (
        id: string,
        options: {
          endpoint?: string;
          event?: string[];
          description?: string;
          enable?: true;
          disable?: true;
        },
      ) => {
        if (options.enable && options.disable) throw new Error('--enable and --disable conflict');
        const patch: UpdateWebhookInput = {
          ...(options.endpoint !== undefined && { url: options.endpoint }),
          ...(options.event !== undefined && { event_types: options.event }),
          ...(options.description !== undefined && {
            description: options.description === '' ? null : options.description,
          }),
          ...(options.enable && { enabled: true }),
          ...(options.disable && { enabled: false }),
        };
        printObject(io, await client().webhooks.update(tenant(), id, patch), json());
      },
    );

  webhooks
    .command('delete <id>')
    .description('Delete a webhook and its delivery log')
    .action(async (id: string) => {
      await client().webhooks.delete(tenant(), id);
      io.out(`deleted webhook ${id}\n`);
    });

  webhooks
    .command('rotate-secret <id>')
    .description('Replace the signing secret; the new one is printed once')
    .option('--overlap <seconds>', 'how long the old secret keeps signing too (default 0)', seconds)
    .action(async (id: string, options: { overlap?: number }) => {
      const rotated = await client().webhooks.rotateSecret(tenant(), id, {
        overlap_seconds: options.overlap ?? 0,
      });
      printObject(io, rotated, json());
    });

  webhooks
    .command('deliveries <id>')
    .description("Show a webhook's latest deliveries, newest first")
    .option('--limit <n>', 'how many (1-100, default 20)', limit)
    .option('--cursor <cursor>', 'the next_cursor of a previous page')
    .action(async (id: string, options: { limit?: number; cursor?: string }) => {
      const page = await client().webhooks.deliveries(tenant(), id, {
        ...(options.limit !== undefined && { limit: options.limit }),
        ...(options.cursor !== undefined && { cursor: options.cursor }),
      });
      if (json()) {
        io.out(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      printRows(
        io,
        page.data,
        [
          'id',
          'event_type',
          'status',
          'attempts',
          'response_status',
          'duration_ms',
          'next_attempt_at',
          'error',
        ],
        false,
      );
      if (page.next_cursor !== null) io.out(`next: --cursor ${page.next_cursor}\n`);
    });

  webhooks
    .command('retry <id> <delivery>')
    .description('Attempt a delivery again now (same webhook-id)')
    .action(async (id: string, delivery: string) => {
      printObject(io, await client().webhooks.retryDelivery(tenant(), id, delivery), json());
    });
}
