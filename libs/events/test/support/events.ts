import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope, EventType } from '../../src/index';
import { createEvent } from '../../src/index';

/** Retries `check` until it stops throwing (or rethrows its last error after `timeoutMs`). */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const randomSuffix = (): string => randomUUID().slice(0, 8);

/** A valid event of the given type with fixed, minimal data. */
export function sampleEvent(
  type: EventType = 'client.updated',
  tenantId = randomUUID(),
): EventEnvelope {
  switch (type) {
    case 'tenant.created':
      return createEvent(type, tenantId, {
        slug: 'acme',
        name: 'Acme',
        issuer: 'http://localhost:8080/t/acme',
        database: { mode: 'managed' },
        settings: {},
      });
    case 'tenant.updated':
      return createEvent(type, tenantId, { slug: 'acme', changes: ['name'] });
    case 'tenant.deleted':
      return createEvent(type, tenantId, { slug: 'acme', drop_database: true });
    case 'tenant.provisioned':
      return createEvent(type, tenantId, {
        slug: 'acme',
        database_created: true,
        signing_key_kid: 'kid-1',
      });
    case 'tenant.provisioning_failed':
      return createEvent(type, tenantId, { slug: 'acme', reason: 'boom', attempts: 5 });
    case 'tenant.deprovisioned':
      return createEvent(type, tenantId, { slug: 'acme' });
    case 'tenant.keys.rotation_requested':
      return createEvent(type, tenantId, { slug: 'acme', requested_by: 'admin@example.com' });
    case 'client.created':
    case 'client.updated':
    case 'client.deleted':
      return createEvent(type, tenantId, { client_id: 'client-1' });
    case 'resource.created':
    case 'resource.updated':
    case 'resource.deleted':
      return createEvent(type, tenantId, { resource_id: 'resource-1' });
    default:
      // The bus contract suite needs only a few types; the envelope test covers every one.
      throw new Error(`no sample event for ${type}`);
  }
}

/** What the contract suite needs from one bus implementation. */
export interface TestBus {
  bus: EventBus;
  /** Publishes a raw body as a foreign producer would, bypassing validation. */
  injectRaw(routingKey: string, body: string): Promise<void>;
  /** What sits in the dead-letter queue of the shared subscription `name`. */
  deadLetters(
    name: string,
  ): Promise<Array<{ eventId?: string; reason?: string; attempts?: number }>>;
  /** Closes the bus and deletes every exchange and queue the test made. */
  cleanup(): Promise<void>;
}

export type TestBusFactory = (queueNames: string[]) => Promise<TestBus>;
