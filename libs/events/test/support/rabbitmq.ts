import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Channel } from 'amqplib';
import { connect } from 'amqplib';
import type { RabbitMqBusOptions } from '../../src/index';
import { createRabbitMqBus, dlqTools } from '../../src/index';
import { randomSuffix, type TestBus } from './events';

export const rabbitUrl = process.env['HJ_TEST_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Runs `work` on a throwaway channel of a plain amqplib connection. */
export async function withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
  const connection = await connect(rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const result = await work(channel);
    await channel.close();
    return result;
  } finally {
    await connection.close();
  }
}

/** Deletes a subscription's queues (main, retry, dead-letter) and the exchange. */
async function deleteTopology(exchange: string, queueNames: string[]): Promise<void> {
  await withChannel(async (channel) => {
    for (const name of queueNames) {
      for (const queue of [name, `${name}.retry`, `${name}.dlq`]) await channel.deleteQueue(queue);
    }
    await channel.deleteExchange(exchange);
  });
}

/** A test bus on a fresh exchange, plus a way to open more buses (replicas) on it. */
export function createRabbitTestBus(
  queueNames: string[],
  overrides: Partial<RabbitMqBusOptions> = {},
): TestBus & {
  exchange: string;
  openBus(extra?: Partial<RabbitMqBusOptions>): ReturnType<typeof createRabbitMqBus>;
} {
  const exchange = `test.events.${randomSuffix()}`;
  const buses: Array<ReturnType<typeof createRabbitMqBus>> = [];
  const openBus = (
    extra: Partial<RabbitMqBusOptions> = {},
  ): ReturnType<typeof createRabbitMqBus> => {
    const bus = createRabbitMqBus({
      url: rabbitUrl,
      exchange,
      drainTimeoutMs: 2000,
      ...overrides,
      ...extra,
    });
    buses.push(bus);
    return bus;
  };
  const bus = openBus();
  return {
    exchange,
    bus,
    openBus,
    injectRaw: (routingKey, body) =>
      withChannel(async (channel) => {
        await channel.assertExchange(exchange, 'topic', { durable: true });
        channel.publish(exchange, routingKey, Buffer.from(body), { persistent: true });
        if ('waitForConfirms' in channel && typeof channel.waitForConfirms === 'function') {
          await (channel.waitForConfirms as () => Promise<void>)();
        }
      }),
    deadLetters: async (name) =>
      (await dlqTools.listDeadLetters(rabbitUrl, name, 100)).map((d) => ({
        eventId: d.event?.id,
        reason: d.reason,
        attempts: d.attempts,
      })),
    cleanup: async () => {
      await Promise.all(buses.map((b) => b.close()));
      await deleteTopology(exchange, queueNames);
    },
  };
}

const run = promisify(execFile);

/**
 * Makes the broker drop the connections a client opened under `connectionName`, as a broker
 * restart or a network cut would. Needs `rabbitmqctl` on the machine running the broker. Runs it
 * asynchronously: blocking the event loop would also hold back the client's pending acks.
 */
export async function dropConnections(connectionName: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    'pid',
    'client_properties',
    '-q',
    '--no-table-headers',
  ]);
  const marker = `{"connection_name","${connectionName}"}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0] ?? '');
  for (const pid of pids) {
    await run('rabbitmqctl', ['close_connection', pid, 'test: simulated outage', '-q']);
  }
  return pids.length;
}
