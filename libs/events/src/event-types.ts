/**
 * Every event type the platform emits. Names follow `<entity>.<past_tense>` (docs/events.md);
 * the type doubles as the RabbitMQ routing key, so a consumer can bind `tenant.#`.
 */
export const EVENT_TYPES = [
  'tenant.created',
  'tenant.updated',
  'tenant.deleted',
  'tenant.provisioned',
  'tenant.provisioning_failed',
  'tenant.deprovisioned',
  'tenant.keys.rotation_requested',
  'client.created',
  'client.updated',
  'client.deleted',
] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];
