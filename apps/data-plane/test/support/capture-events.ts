import { randomBytes } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hellojohn/events';

/**
 * Every event matching `routingKeys` that `bus` carries from now on, in arrival order (an
 * exclusive subscription of its own; the array fills as events arrive).
 */
export async function captureEvents(
  bus: EventBus,
  routingKeys: string[],
): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  await bus.subscribe(
    { name: `capture-${randomBytes(4).toString('hex')}`, routingKeys, mode: 'exclusive' },
    (event) => {
      seen.push(event);
      return Promise.resolve();
    },
  );
  return seen;
}
