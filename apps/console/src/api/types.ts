// The wire types of both planes, from their OpenAPI documents (libs/sdk/src/generated, kept by
// `npm run sdk:types`). Type-only imports: nothing of the SDK's Node code reaches the bundle.
export type {
  Admin,
  AdminMfaFactorList,
  AdminOrganization,
  AdminOrganizationList,
  AdminSession,
  AdminMfaRequired,
  AdminTotpEnrolment,
  AdminUserList,
  ApiKey,
  ApiKeyWithSecret,
  ApiResource,
  AuditEntry,
  CreatedOAuthClient,
  CreateTenantInput,
  InvitedAdmin,
  ClientSecret,
  Jwks,
  OAuthClient,
  OrganizationMember,
  PendingInvitation,
  Role,
  Tenant,
  TenantSettings,
  Webhook,
  WebhookDelivery,
  WebhookWithSecret,
} from '@hellojohn/sdk';

/** Every list answer of both planes: `{ data, next_cursor }` (docs/api.md, "Pagination"). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** The upstream kinds a tenant can federate with (docs/federation.md). */
export type IdentityProviderType = 'oidc' | 'github' | 'google' | 'microsoft' | 'apple';

/**
 * A tenant's identity provider as the control plane answers it
 * (`/v1/tenants/{t}/identity-providers`). Written here from the OpenAPI document because the SDK's
 * door does not export this type yet; the secret is never part of it (`client_secret_set` only).
 */
export interface IdentityProvider {
  id: string;
  type: IdentityProviderType;
  name: string;
  client_id: string;
  client_secret_set: boolean;
  issuer: string | null;
  apple: { key_id: string; team_id: string } | null;
  scopes: string[];
  enabled: boolean;
  button_label: string | null;
  /** The redirect URI to register at the provider. */
  callback_url: string;
  created_at: string;
  updated_at: string;
}
