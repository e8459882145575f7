/**
 * What happens to a tenant's users, sessions and organizations: the data plane writes these to
 * the tenant's outbox with the change, and the control plane turns them into webhook deliveries
 * (docs/webhooks.md). The one list both planes read, so a new domain event cannot be emitted
 * without being subscribable, or the other way round.
 */
export const DOMAIN_EVENT_TYPES = [
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

/** One of {@link DOMAIN_EVENT_TYPES}. */
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

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
  'identity_provider.created',
  'identity_provider.updated',
  'identity_provider.deleted',
  'api_key.revoked',
  'admin.revoked',
  ...DOMAIN_EVENT_TYPES,
] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];
