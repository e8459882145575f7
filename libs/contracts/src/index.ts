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
  GRANT_TYPES,
  InternalClient,
  InternalClientPage,
  isGrantType,
} from './internal-api/client';
export type { ClientType, GrantType } from './internal-api/client';
