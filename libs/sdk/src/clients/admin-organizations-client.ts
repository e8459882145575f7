import type {
  AdminOrganization,
  AdminOrganizationList,
  AdminOrganizationsQuery,
  AdminSessionList,
  CreateAdminOrganizationInput,
  UpdateAdminOrganizationInput,
} from './admin-organizations-types';
import { seg, type Send } from './http-client';
import type {
  InvitationList,
  OrganizationMember,
  OrganizationMemberList,
  OrganizationPageQuery,
} from './organizations-types';
import type { PageQuery } from './page';

/**
 * `/v1/admin/organizations`: every organization of the tenant, for tenant admins (`adminToken`
 * is a CP admin token or API key). `org` is an organization id or slug.
 */
export function adminOrganizationsApi(send: Send) {
  const at = (org: string) => `/v1/admin/organizations/${seg(org)}`;
  return {
    /** One page, oldest first; `query.search` keeps names containing it or slugs starting with it. */
    list: (adminToken: string, query?: AdminOrganizationsQuery) =>
      send<AdminOrganizationList>({
        method: 'GET',
        path: '/v1/admin/organizations',
        token: adminToken,
        query: { ...query },
      }),
    /** `owner_user_id`: a user to make its first owner (optional). */
    create: (adminToken: string, body: CreateAdminOrganizationInput) =>
      send<AdminOrganization>({
        method: 'POST',
        path: '/v1/admin/organizations',
        token: adminToken,
        body,
      }),
    get: (adminToken: string, org: string) =>
      send<AdminOrganization>({ method: 'GET', path: at(org), token: adminToken }),
    update: (adminToken: string, org: string, body: UpdateAdminOrganizationInput) =>
      send<AdminOrganization>({ method: 'PATCH', path: at(org), token: adminToken, body }),
    remove: (adminToken: string, org: string) =>
      send<undefined>({ method: 'DELETE', path: at(org), token: adminToken }),
    members: {
      list: (adminToken: string, org: string, query?: OrganizationPageQuery) =>
        send<OrganizationMemberList>({
          method: 'GET',
          path: `${at(org)}/members`,
          token: adminToken,
          query: { ...query },
        }),
      /** Adds the user with `role`, or changes a member's role (409 `last_owner` for the last owner). */
      put: (adminToken: string, org: string, userId: string, role: string) =>
        send<OrganizationMember>({
          method: 'PUT',
          path: `${at(org)}/members/${seg(userId)}`,
          token: adminToken,
          body: { role },
        }),
      /** 409 `last_owner` for the last owner. */
      remove: (adminToken: string, org: string, userId: string) =>
        send<undefined>({
          method: 'DELETE',
          path: `${at(org)}/members/${seg(userId)}`,
          token: adminToken,
        }),
    },
    invitations: {
      /** One page of the pending invitations, newest first. */
      list: (adminToken: string, org: string, query?: OrganizationPageQuery) =>
        send<InvitationList>({
          method: 'GET',
          path: `${at(org)}/invitations`,
          token: adminToken,
          query: { ...query },
        }),
      revoke: (adminToken: string, org: string, invitationId: string) =>
        send<undefined>({
          method: 'DELETE',
          path: `${at(org)}/invitations/${seg(invitationId)}`,
          token: adminToken,
        }),
    },
  };
}

/** `/v1/admin/users/{id}/sessions`: a user's live sessions, listed and ended one at a time. */
export function adminUserSessionsApi(send: Send) {
  const at = (userId: string) => `/v1/admin/users/${seg(userId)}/sessions`;
  return {
    /** One page, most recently used first. */
    list: (adminToken: string, userId: string, query?: PageQuery) =>
      send<AdminSessionList>({
        method: 'GET',
        path: at(userId),
        token: adminToken,
        query: { ...query },
      }),
    /** Ends the session as the user's own sign-out would (its refresh tokens stop working). */
    revoke: (adminToken: string, userId: string, sessionId: string) =>
      send<undefined>({
        method: 'DELETE',
        path: `${at(userId)}/${seg(sessionId)}`,
        token: adminToken,
      }),
  };
}
