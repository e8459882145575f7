export { parseDatabaseUrl, redactDatabaseUrl } from './url';
export type { DatabaseDriver, DatabaseTarget } from './url';
export { createKnex } from './connect';
export type { CreateKnexOptions } from './connect';
export {
  ConflictError,
  NotFoundError,
  InvalidCursorError,
  isUniqueViolation,
  isForeignKeyViolation,
  isConnectionError,
  mapDbError,
} from './db-errors';
export {
  migrateControlPlane,
  rollbackControlPlane,
  migrateTenant,
  rollbackTenant,
  CONTROL_PLANE_MIGRATIONS_TABLE,
  TENANT_MIGRATIONS_TABLE,
} from './migrate';
export { AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS } from './audit-actions';
export { normalizeEmail } from './email';
export type { AuditAction } from './audit-actions';
export type { Page, PageRequest } from './internal/keyset';
export { MAX_PAGE_SIZE } from './internal/keyset';

export { createGlobalDb } from './global/global-db';
export type { GlobalDb } from './global/global-db';
export { tenantStatuses } from './global/tenant.repository';
export type {
  TenantRow,
  NewTenant,
  TenantStatus,
  TenantRepository,
} from './global/tenant.repository';
export type {
  ClientRow,
  NewClient,
  ClientPatch,
  ClientRepository,
} from './global/client.repository';
export type {
  ApiResourceRepository,
  ApiResourceRow,
  ApiResourceSettings,
  ClientResourceGrantRow,
  NewApiResource,
} from './global/api-resource.repository';
export { ADMIN_ROLES } from './global/cp-admin.repository';
export type {
  AdminPatch,
  AdminRole,
  AdminRow,
  NewAdmin,
  AdminRepository,
} from './global/cp-admin.repository';
export type { ApiKeyRow, NewApiKey, ApiKeyRepository } from './global/api-key.repository';
export type {
  AdminRefreshTokenRow,
  AdminRevocationRow,
  AdminSessionRepository,
  AdminSessionRow,
} from './global/cp-admin-session.repository';
export type {
  AdminInvitationRepository,
  AdminInvitationRow,
} from './global/cp-admin-invitation.repository';
export type {
  AdminMfaChallengeRow,
  AdminMfaRepository,
  AdminTotpRow,
} from './global/cp-admin-mfa.repository';
export type {
  CpSigningKeyRow,
  NewCpSigningKey,
  CpSigningKeyRepository,
} from './global/cp-signing-key.repository';
export type { OutboxRow, NewOutboxEvent, OutboxRepository } from './global/outbox.repository';
export type {
  AuditEntry,
  NewAuditEntry,
  AuditListRequest,
  AuditLogRepository,
} from './global/audit-log.repository';
export type {
  NewWebhook,
  WebhookRepository,
  WebhookRow,
  WebhookSecrets,
  WebhookSettings,
} from './global/webhook.repository';
export type {
  IdentityProviderRepository,
  IdentityProviderRow,
  IdentityProviderSettings,
  NewIdentityProvider,
} from './global/identity-provider.repository';
export { webhookDeliveryStatuses } from './global/webhook-delivery.repository';
export type {
  NewWebhookDelivery,
  WebhookAttemptResult,
  WebhookDeliveryRepository,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
} from './global/webhook-delivery.repository';

export { createTenantPools } from './tenant-pools';
export { ConnectionBudgetExceededError } from './connection-budget';
export type { ServerConnectionStats } from './connection-budget';
export type {
  TenantPools,
  TenantPoolsOptions,
  TenantConnectionInfo,
  TenantDatabaseState,
} from './tenant-pools';
export type { TenantDb } from './tenant/tenant-db';
export type {
  NewUserIdentity,
  UserIdentityRepository,
  UserIdentityRow,
} from './tenant/user-identity.repository';
export type {
  FederationStateKind,
  FederationStateRepository,
  FederationStateRow,
  NewFederationState,
} from './tenant/federation-state.repository';
export type {
  UserRow,
  NewUser,
  UserPatch,
  UserRepository,
  SoleOwnerOf,
} from './tenant/user.repository';
export type { CredentialRepository } from './tenant/credential.repository';
export type { SessionRow, NewSession, SessionRepository } from './tenant/session.repository';
export type {
  RefreshTokenRow,
  NewRefreshToken,
  RefreshTokenRepository,
  RefreshTokenRotation,
} from './tenant/refresh-token.repository';
export { signingKeyStatuses } from './tenant/signing-key.repository';
export type {
  SigningKeyRow,
  NewSigningKey,
  SigningKeyStatus,
  SigningKeyRepository,
} from './tenant/signing-key.repository';
export type { TenantMeta, TenantMetaRepository } from './tenant/tenant-meta.repository';
export type { RoleRow, NewRole, RolePatch, RoleRepository } from './tenant/role.repository';
export type { UserRoleRepository } from './tenant/user-role.repository';
export type {
  OrganizationRow,
  NewOrganization,
  OrganizationPatch,
  MemberOrganizationRow,
  OrganizationRepository,
} from './tenant/organization.repository';
export { OWNER_ROLE } from './tenant/membership.repository';
export type {
  MembershipRow,
  MemberRow,
  NewMembership,
  MembershipRepository,
} from './tenant/membership.repository';
export type {
  InvitationRow,
  NewInvitation,
  InvitationRepository,
} from './tenant/invitation.repository';
export type {
  TenantAuditEntry,
  NewTenantAuditEntry,
  TenantAuditLogRepository,
} from './tenant/audit-log.repository';
export type {
  NewBrowserSession,
  Reauthentication,
  BrowserSessionRepository,
} from './tenant/browser-session.repository';
export type {
  LoginTransactionRow,
  NewLoginTransaction,
  StoredAuthorizationRequest,
  AuthorizationRequestInput,
  LoginTransactionRepository,
} from './tenant/login-transaction.repository';
export type {
  AuthorizationCodeRow,
  NewAuthorizationCode,
  CodeRedemption,
  AuthorizationCodeRepository,
} from './tenant/authorization-code.repository';
export type { ConsentRow, ConsentRepository } from './tenant/consent.repository';
export { mailStatuses } from './tenant/mail-outbox.repository';
export type {
  DomainOutboxHooks,
  DomainOutboxRepository,
  DomainOutboxRow,
  NewDomainOutboxEvent,
} from './tenant/domain-outbox.repository';
export type {
  MailStatus,
  OutboxMailRow,
  NewOutboxMail,
  MailOutboxRepository,
} from './tenant/mail-outbox.repository';
export { webauthnChallengePurposes } from './tenant/webauthn-challenge.repository';
export type {
  WebAuthnChallengePurpose,
  WebAuthnChallengeRow,
  NewWebAuthnChallenge,
  WebAuthnChallengeRepository,
} from './tenant/webauthn-challenge.repository';
export { oneTimeTokenPurposes } from './tenant/one-time-token.repository';
export { mfaFactorTypes } from './tenant/mfa-factor.repository';
export type {
  MfaFactorType,
  MfaFactorRow,
  NewMfaFactor,
  MfaFactorUse,
  MfaFactorRepository,
} from './tenant/mfa-factor.repository';
export type { RecoveryCodeRepository } from './tenant/recovery-code.repository';
export type {
  MfaChallengeRow,
  NewMfaChallenge,
  MfaChallengeRepository,
} from './tenant/mfa-challenge.repository';
export type {
  OneTimeTokenPurpose,
  OneTimeTokenRow,
  NewOneTimeToken,
  OneTimeTokenRepository,
} from './tenant/one-time-token.repository';

export {
  managedDatabaseName,
  managedDatabaseUrl,
  ensureManagedDatabase,
  dropManagedDatabase,
  managedDatabaseExists,
} from './provisioning/managed';
export { withProvisioningLock } from './provisioning/provisioning-lock';
export type {
  ImportJobRow,
  ImportJobStatus,
  ImportLineError,
  ImportedUserWrite,
  UserImportJobRepository,
} from './tenant/user-import-job.repository';
export type {
  ImportedPassword,
  ImportedPasswordRepository,
} from './tenant/imported-password.repository';
