export { requireAuth, authOf } from './verify/require-auth.middleware';
export {
  requirePermission,
  requireOrgRole,
  hasPermission,
  satisfiesOrgRole,
} from './verify/require-permission.middleware';
export type {
  RequirePermissionOptions,
  RequireOrgRoleOptions,
} from './verify/require-permission.middleware';
export type { RequireAuthOptions } from './verify/require-auth.middleware';
export { createTokenVerifier } from './verify/token-verifier';
export type { TokenSigningAlg, TokenVerifier, TokenVerifierOptions } from './verify/token-verifier';
export { InvalidTokenError } from './verify/invalid-token-error';
export type { BearerErrorCode } from './verify/invalid-token-error';
export type { AccessTokenClaims, AuthInfo } from './verify/token-claims';
export { createControlPlaneClient } from './clients/control-plane-client';
export type { ControlPlaneClient, ControlPlaneClientOptions } from './clients/control-plane-client';
export { isAdminMfaRequired } from './clients/operator-types';
export type {
  AcceptAdminInvitationInput,
  AdminMfaRequired,
  AdminMfaVerifyInput,
  AdminRecoveryCodes,
  AdminSessionTokens,
  AdminSignInResult,
  AdminTotpEnrolment,
  ApiKey,
  ApiKeyWithSecret,
  CreateApiKeyInput,
  GrantTenants,
  InvitedAdmin,
  OperatorRole,
  UpdateAdminInput,
} from './clients/operator-types';
export type {
  Admin,
  AdminRole,
  AdminToken,
  ApiResource,
  ApiResourceScope,
  ApiResourceSubjects,
  ApiResourcesQuery,
  ApiResourceTokenAlg,
  AuditEntry,
  AuditLogQuery,
  ClientResourceGrant,
  ClientResourceGrantList,
  ClientSecret,
  ClientType,
  CreateAdminInput,
  CreateApiResourceInput,
  CreateClientInput,
  CreatedOAuthClient,
  CreateTenantInput,
  GrantType,
  IdTokenSigningAlg,
  KeyRotationAccepted,
  ListTenantsQuery,
  OAuthClient,
  Tenant,
  TenantDatabaseInput,
  TenantSettings,
  TenantStatus,
  TokenEndpointAuthMethod,
  UpdateApiResourceInput,
  UpdateClientInput,
  UpdateTenantInput,
} from './clients/control-plane-types';
export { createDataPlaneClient } from './clients/data-plane-client';
export type { DataPlaneClient, DataPlaneClientOptions } from './clients/data-plane-client';
export { isMfaRequired, isSignUpAccepted } from './clients/data-plane-types';
export type {
  AdminMfaFactorList,
  AdminUser,
  AdminUserConsents,
  AdminUserList,
  CreateAdminUserInput,
  UpdateAdminUserInput,
  AdminUsersQuery,
  ChangePasswordInput,
  EmailFactorConfirmInput,
  EmailFactorEnrolInput,
  EmailFactorEnrolment,
  MfaChallengeInput,
  MfaChallengeResult,
  MfaEnrolmentConfirmed,
  MfaFactor,
  MfaFactorList,
  MfaProof,
  MfaRequired,
  MfaVerifyInput,
  RecoveryCodeSet,
  TotpConfirmInput,
  TotpEnrolInput,
  TotpEnrolment,
  Jwks,
  Session,
  SessionsQuery,
  SignInResult,
  SignUpAccepted,
  SignUpInput,
  SignUpResult,
  TokenPair,
  UpdateMeInput,
  User,
} from './clients/data-plane-types';
export type {
  AdminOrganization,
  AdminOrganizationList,
  AdminOrganizationsQuery,
  CreateAdminOrganizationInput,
  UpdateAdminOrganizationInput,
  AdminSession,
  AdminSessionList,
} from './clients/admin-organizations-types';
export type {
  Role,
  RoleList,
  CreateRoleInput,
  UpdateRoleInput,
  Organization,
  OrganizationList,
  OrganizationListItem,
  OrganizationPageQuery,
  CreateOrganizationInput,
  UpdateOrganizationInput,
  OrganizationMember,
  OrganizationMemberList,
  Invitation,
  InvitationList,
  PendingInvitation,
  CreateInvitationInput,
} from './clients/organizations-types';
export { verifyWebhook, WebhookVerificationError } from './webhooks/verify-webhook';
export type {
  VerifyWebhookOptions,
  WebhookHeaders,
  WebhookPayload,
  WebhookVerificationErrorCode,
} from './webhooks/verify-webhook';
export type {
  CreateWebhookInput,
  RotateWebhookSecretInput,
  UpdateWebhookInput,
  Webhook,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhooksQuery,
  WebhookWithSecret,
} from './clients/webhook-types';
export type {
  CreateIdentityProviderInput,
  IdentityProvider,
  IdentityProviderList,
  IdentityProvidersQuery,
  UpdateIdentityProviderInput,
} from './clients/identity-providers-client';
export { createDataPlaneOpsClient } from './clients/data-plane-ops-client';
export type {
  DataPlaneOpsClient,
  DataPlaneOpsClientOptions,
  DeadLetter,
  DeadLetterList,
  DeadLetterReplay,
  DeadLettersQuery,
  ReplayDeadLettersInput,
} from './clients/data-plane-ops-client';
export { HelloJohnApiError } from './clients/api-error';
export type { FieldError } from './clients/api-error';
export type {
  ExportedUser,
  UserImportAccepted,
  UserImportBody,
  UserImportJob,
} from './clients/user-transfer-client';
export { paginate } from './clients/page';
export { readServiceHealth } from './clients/health-client';
export type {
  Liveness,
  Readiness,
  ReadinessCheckResult,
  ServiceHealth,
} from './clients/health-client';
export type { Page, PageQuery } from './clients/page';
