import { DOMAIN_EVENT_TYPES } from '@hellojohn/events';

/**
 * The events a webhook can subscribe to: the data plane's domain events (what happens to a
 * tenant's users and organizations), listed once in `@hellojohn/events`.
 */
export const WEBHOOK_EVENT_TYPES = DOMAIN_EVENT_TYPES;

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
