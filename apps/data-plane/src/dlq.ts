/**
 * `npm run dlq:list [-- --limit N]` and `npm run dlq:replay [-- --limit N]`: the provisioning
 * dead-letter queue (`data-plane.provisioning.dlq`). `list` shows the messages without consuming
 * them; `replay` moves them back to the exchange with a fresh attempt count, once the cause is
 * fixed. Needs HJ_RABBITMQ_URL (the in-process bus of the embedded mode keeps no dead letters
 * across restarts).
 */
import { ConfigError, loadConfig } from '@hellojohn/config';
import { dlqTools } from '@hellojohn/events';
import { PROVISIONING_QUEUE } from './features/provisioning';

const REPLAY_BATCH = 25;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function limitOf(args: readonly string[]): number | undefined {
  const index = args.indexOf('--limit');
  if (index < 0) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--limit takes a positive integer');
  return value;
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  if (!config.rabbitmqUrl)
    throw new Error('HJ_RABBITMQ_URL is unset: there is no dead-letter queue');
  const url = config.rabbitmqUrl;
  const limit = limitOf(args);
  if (command === 'list') {
    const dead = await dlqTools.listDeadLetters(url, PROVISIONING_QUEUE, limit ?? 100);
    out(
      `${dead.length} message(s) in ${PROVISIONING_QUEUE}.dlq${dead.length === (limit ?? 100) ? ' (more may follow; --limit N)' : ''}`,
    );
    dead.forEach((message, i) => {
      const what = message.event
        ? `${message.event.type} tenant=${message.event.tenant_id} id=${message.event.id}`
        : `invalid body: ${message.raw.slice(0, 120)}`;
      out(`[${i + 1}] ${what}`);
      out(`    attempts=${message.attempts ?? '?'} reason=${message.reason ?? '(none)'}`);
    });
    return;
  }
  if (command === 'replay') {
    // Count first, then move in batches: a message that fails again at once returns to the DLQ,
    // and must not be replayed twice in one run.
    const total = (await dlqTools.listDeadLetters(url, PROVISIONING_QUEUE, limit ?? 100_000))
      .length;
    out(`Replaying ${total} message(s) from ${PROVISIONING_QUEUE}.dlq ...`);
    let moved = 0;
    while (moved < total) {
      const batch = await dlqTools.replayDeadLetters(url, PROVISIONING_QUEUE, {
        limit: Math.min(REPLAY_BATCH, total - moved),
      });
      if (batch === 0) break;
      moved += batch;
      out(`  ${moved}/${total}`);
    }
    out(`Replayed ${moved} message(s); each is retried from attempt 1.`);
    return;
  }
  throw new Error('usage: dlq.ts list|replay [--limit N]');
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
