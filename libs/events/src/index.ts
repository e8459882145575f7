export { DOMAIN_EVENT_TYPES, EVENT_TYPES } from './event-types';
export type { DomainEventType, EventType } from './event-types';
export { createEvent, eventEnvelopeSchema, parseEvent } from './envelope';
export type { EventEnvelope } from './envelope';
export { EventBusClosedError, EventPublishError, InvalidEventError } from './errors';
export {
  tenantCreatedDataSchema,
  tenantDatabaseSchema,
  tenantDeletedDataSchema,
  tenantDeprovisionedDataSchema,
  tenantKeysRotationRequestedDataSchema,
  tenantProvisionedDataSchema,
  tenantProvisioningFailedDataSchema,
  tenantUpdatedDataSchema,
} from './contracts/tenant';
export type {
  TenantCreatedData,
  TenantDatabase,
  TenantDeletedData,
  TenantDeprovisionedData,
  TenantKeysRotationRequestedData,
  TenantProvisionedData,
  TenantProvisioningFailedData,
  TenantUpdatedData,
} from './contracts/tenant';
export {
  clientCreatedDataSchema,
  clientDeletedDataSchema,
  clientUpdatedDataSchema,
} from './contracts/client';
export type { ClientCreatedData, ClientDeletedData, ClientUpdatedData } from './contracts/client';
export {
  resourceCreatedDataSchema,
  resourceDeletedDataSchema,
  resourceUpdatedDataSchema,
} from './contracts/resource';
export type {
  ResourceCreatedData,
  ResourceDeletedData,
  ResourceUpdatedData,
} from './contracts/resource';
export {
  identityProviderCreatedDataSchema,
  identityProviderDeletedDataSchema,
  identityProviderUpdatedDataSchema,
} from './contracts/identity-provider';
export type {
  IdentityProviderCreatedData,
  IdentityProviderDeletedData,
  IdentityProviderUpdatedData,
} from './contracts/identity-provider';
export {
  adminRevokedDataSchema,
  apiKeyRevokedDataSchema,
  PLATFORM_TENANT_ID,
} from './contracts/operator';
export type { AdminRevokedData, ApiKeyRevokedData } from './contracts/operator';
export type {
  MembershipCreatedData,
  MembershipDeletedData,
  MembershipUpdatedData,
  MfaEnrolledData,
  OrganizationCreatedData,
  OrganizationDeletedData,
  OrganizationUpdatedData,
  SessionRevokedData,
  UserCreatedData,
  UserDeletedData,
  UserPasswordChangedData,
  UserSignedInData,
  UserUpdatedData,
} from './contracts/identity';
export { eventDataSchemas } from './contracts/event-data';
export type { EventDataMap } from './contracts/event-data';
export type {
  DeadLetterInfo,
  DeliveryMeta,
  EventBus,
  EventHandler,
  EventsLogger,
  Subscription,
  SubscriptionSpec,
} from './bus';
export { createInProcessBus } from './in-process-bus';
export type { InProcessBus, InProcessBusOptions } from './in-process-bus';
export type { DeadLetterRecord } from './internal/memory-queue';
export { createRabbitMqBus } from './rabbitmq/rabbitmq-bus';
export type { RabbitMqBusOptions } from './rabbitmq/rabbitmq-bus';
export { dlqTools } from './rabbitmq/dlq-tools';
export type { DeadLetterMessage } from './rabbitmq/dlq-tools';
export { createOutboxRelay } from './outbox-relay';
export type { OutboxRecord, OutboxRelay, OutboxRelayOptions, OutboxStore } from './outbox-relay';
export { createEventBus } from './create-event-bus';
