export { CONTROL_PLANE_AUDIENCE } from './admin/admin-token';
export { pageOf } from './page';
export {
  TENANT_STATUSES,
  InternalTenant,
  InternalTenantDatabase,
  InternalTenantPage,
} from './internal-api/tenant';
export type { TenantStatus } from './internal-api/tenant';
export {
  CLIENT_TYPES,
  defaultTokenEndpointAuthMethod,
  GRANT_TYPES,
  ID_TOKEN_SIGNING_ALGS,
  InternalClient,
  InternalClientPage,
  isGrantType,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from './internal-api/client';
export type {
  ClientType,
  GrantType,
  IdTokenSigningAlg,
  TokenEndpointAuthMethod,
} from './internal-api/client';
export {
  InternalResource,
  InternalResourceList,
  MAX_RESOURCES_PER_TENANT,
  MAX_SCOPES_PER_RESOURCE,
  OIDC_USER_SCOPES,
  RESOURCE_SUBJECTS,
  RESOURCE_TOKEN_ALGS,
  ResourceScope,
} from './internal-api/resource';
export type { ResourceSubjects, ResourceTokenAlg } from './internal-api/resource';
export {
  AttributeMapping,
  IDENTITY_PROVIDER_TYPES,
  InternalIdentityProvider,
  InternalIdentityProviderList,
  MAX_IDENTITY_PROVIDERS_PER_TENANT,
  ProviderEndpoints,
} from './internal-api/identity-provider';
export type { IdentityProviderType } from './internal-api/identity-provider';
