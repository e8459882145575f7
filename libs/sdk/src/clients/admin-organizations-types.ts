// Wire types of the tenant-admin organization and session routes (docs/organizations.md), read
// from the data plane's OpenAPI document (`../generated/data-plane.ts`, `npm run sdk:types`).
import type { paths } from '../generated/data-plane';
import type { Body, Item, Json, QueryOf } from './wire';

/** An organization as tenant admins see it: with its metadata, without a caller's role. */
export type AdminOrganization = Json<paths['/v1/admin/organizations/{org}']['get']>;
export type AdminOrganizationList = Json<paths['/v1/admin/organizations']['get']>;
/** `limit`, `cursor` and `search` (name contains, any case, or slug starts with). */
export type AdminOrganizationsQuery = QueryOf<paths['/v1/admin/organizations']['get']>;
export type CreateAdminOrganizationInput = Body<paths['/v1/admin/organizations']['post']>;
export type UpdateAdminOrganizationInput = Body<paths['/v1/admin/organizations/{org}']['patch']>;
/** A user's session as tenant admins see it (never a token). */
export type AdminSession = Item<AdminSessionList>;
export type AdminSessionList = Json<paths['/v1/admin/users/{id}/sessions']['get']>;
