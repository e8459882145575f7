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
  'resource.created',
  'resource.updated',
  'resource.deleted',
  'api_key.revoked',
  'admin.revoked',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.signed_in',
  'user.password_changed',
  'session.revoked',
  'mfa.enrolled',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'membership.created',
  'membership.updated',
  'membership.deleted',
] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];
