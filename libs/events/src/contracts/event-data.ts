import type { z } from 'zod';
import type { EventType } from '../event-types';
import {
  clientCreatedDataSchema,
  clientDeletedDataSchema,
  clientUpdatedDataSchema,
} from './client';
import {
  membershipCreatedDataSchema,
  membershipDeletedDataSchema,
  membershipUpdatedDataSchema,
  mfaEnrolledDataSchema,
  organizationCreatedDataSchema,
  organizationDeletedDataSchema,
  organizationUpdatedDataSchema,
  sessionRevokedDataSchema,
  userCreatedDataSchema,
  userDeletedDataSchema,
  userPasswordChangedDataSchema,
  userSignedInDataSchema,
  userUpdatedDataSchema,
} from './identity';
import {
  identityProviderCreatedDataSchema,
  identityProviderDeletedDataSchema,
  identityProviderUpdatedDataSchema,
} from './identity-provider';
import { adminRevokedDataSchema, apiKeyRevokedDataSchema } from './operator';
import {
  resourceCreatedDataSchema,
  resourceDeletedDataSchema,
  resourceUpdatedDataSchema,
} from './resource';
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
  'api_key.revoked': apiKeyRevokedDataSchema,
  'admin.revoked': adminRevokedDataSchema,
  'resource.created': resourceCreatedDataSchema,
  'resource.updated': resourceUpdatedDataSchema,
  'resource.deleted': resourceDeletedDataSchema,
  'identity_provider.created': identityProviderCreatedDataSchema,
  'identity_provider.updated': identityProviderUpdatedDataSchema,
  'identity_provider.deleted': identityProviderDeletedDataSchema,
  'user.created': userCreatedDataSchema,
  'user.updated': userUpdatedDataSchema,
  'user.deleted': userDeletedDataSchema,
  'user.signed_in': userSignedInDataSchema,
  'user.password_changed': userPasswordChangedDataSchema,
  'session.revoked': sessionRevokedDataSchema,
  'mfa.enrolled': mfaEnrolledDataSchema,
  'organization.created': organizationCreatedDataSchema,
  'organization.updated': organizationUpdatedDataSchema,
  'organization.deleted': organizationDeletedDataSchema,
  'membership.created': membershipCreatedDataSchema,
  'membership.updated': membershipUpdatedDataSchema,
  'membership.deleted': membershipDeletedDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** Event type → the TypeScript type of its `data`. */
export type EventDataMap = {
  [K in EventType]: z.infer<(typeof eventDataSchemas)[K]>;
};
