import type { z } from 'zod';
import type { EventType } from '../event-types';
import {
  clientCreatedDataSchema,
  clientDeletedDataSchema,
  clientUpdatedDataSchema,
} from './client';
import {
  tenantCreatedDataSchema,
  tenantDeletedDataSchema,
  tenantDeprovisionedDataSchema,
  tenantKeysRotationRequestedDataSchema,
  tenantProvisionedDataSchema,
  tenantProvisioningFailedDataSchema,
  tenantUpdatedDataSchema,
} from './tenant';

/**
 * The `data` contract of each event type. `satisfies` makes a missing type a compile error when
 * {@link EVENT_TYPES} grows.
 */
export const eventDataSchemas = {
  'tenant.created': tenantCreatedDataSchema,
  'tenant.updated': tenantUpdatedDataSchema,
  'tenant.deleted': tenantDeletedDataSchema,
  'tenant.provisioned': tenantProvisionedDataSchema,
  'tenant.provisioning_failed': tenantProvisioningFailedDataSchema,
  'tenant.deprovisioned': tenantDeprovisionedDataSchema,
  'tenant.keys.rotation_requested': tenantKeysRotationRequestedDataSchema,
  'client.created': clientCreatedDataSchema,
  'client.updated': clientUpdatedDataSchema,
  'client.deleted': clientDeletedDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** Event type → the TypeScript type of its `data`. */
export type EventDataMap = {
  [K in EventType]: z.infer<(typeof eventDataSchemas)[K]>;
};
