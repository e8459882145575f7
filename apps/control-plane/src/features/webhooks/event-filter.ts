import type { EventType } from '@hellojohn/events';

/** The events a webhook can subscribe to: what happens to a tenant's users and organizations. */
export const WEBHOOK_EVENT_TYPES = [
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
] as const satisfies readonly EventType[];

const ENTITIES = new Set(WEBHOOK_EVENT_TYPES.map((type) => type.split('.')[0]));
const TYPES = new Set<string>(WEBHOOK_EVENT_TYPES);

/** Bus routing keys of the dispatcher's queue: every entity that has webhook events. */
export const WEBHOOK_ROUTING_KEYS = [...ENTITIES].map((entity) => `${entity ?? ''}.#`);

/** True when `filter` is `*`, `<entity>.*` of a known entity, or a known event type. */
export function isValidEventFilter(filter: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return ENTITIES.has(filter.slice(0, -2));
  return TYPES.has(filter);
}

/** True when one of `filters` (`*`, `user.*`, `user.created`) selects `type`. */
export function matchesEventFilter(filters: readonly string[], type: string): boolean {
  return filters.some(
    (filter) =>
      filter === '*' ||
      filter === type ||
      (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}
