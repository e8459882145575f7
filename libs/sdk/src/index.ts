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
export type { TokenVerifier, TokenVerifierOptions } from './verify/token-verifier';
export { InvalidTokenError } from './verify/invalid-token-error';
export type { BearerErrorCode } from './verify/invalid-token-error';
export type { AccessTokenClaims, AuthInfo } from './verify/token-claims';
export { createControlPlaneClient } from './clients/control-plane-client';
export type { ControlPlaneClient, ControlPlaneClientOptions } from './clients/control-plane-client';
export type {
  Admin,
  AdminRole,
  AdminToken,
  AuditEntry,
  AuditLogQuery,
  ClientSecret,
  ClientType,
  CreateAdminInput,
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
  UpdateClientInput,
  UpdateTenantInput,
} from './clients/control-plane-types';
export { createDataPlaneClient } from './clients/data-plane-client';
export type { DataPlaneClient, DataPlaneClientOptions } from './clients/data-plane-client';
export { isMfaRequired, isSignUpAccepted } from './clients/data-plane-types';
export type {
  AdminMfaFactorList,
  AdminUserList,
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
  Role,
  RoleList,
  CreateRoleInput,
  UpdateRoleInput,
  Organization,
  OrganizationList,
  CreateOrganizationInput,
  UpdateOrganizationInput,
  OrganizationMember,
  OrganizationMemberList,
  Invitation,
  InvitationList,
  CreateInvitationInput,
} from './clients/organizations-types';
export { HelloJohnApiError } from './clients/api-error';
export type { FieldError } from './clients/api-error';
export { paginate } from './clients/page';
export type { Page, PageQuery } from './clients/page';
