import { seg, type Send } from './http-client';
import { paginate } from './page';
import type {
  CreateInvitationInput,
  CreateOrganizationInput,
  CreateRoleInput,
  Invitation,
  InvitationList,
  Organization,
  OrganizationList,
  OrganizationListItem,
  OrganizationMember,
  OrganizationMemberList,
  OrganizationPageQuery,
  PendingInvitation,
  Role,
  RoleList,
  UpdateOrganizationInput,
  UpdateRoleInput,
} from './organizations-types';

/** Roles in one scope: `base` is `/v1/admin/roles` or `/v1/organizations/{org}/roles`. */
function rolesAt(send: Send, base: string, token: string) {
  return {
    list: () => send<RoleList>({ method: 'GET', path: base, token }),
    create: (body: CreateRoleInput) => send<Role>({ method: 'POST', path: base, token, body }),
    update: (key: string, body: UpdateRoleInput) =>
      send<Role>({ method: 'PATCH', path: `${base}/${seg(key)}`, token, body }),
    remove: (key: string) =>
      send<undefined>({ method: 'DELETE', path: `${base}/${seg(key)}`, token }),
  };
}

/** Tenant RBAC (`/v1/admin/roles`): `adminToken` is a CP admin token. */
export function adminRolesApi(send: Send) {
  return {
    list: (adminToken: string) => rolesAt(send, '/v1/admin/roles', adminToken).list(),
    get: (adminToken: string, key: string) =>
      send<Role>({ method: 'GET', path: `/v1/admin/roles/${seg(key)}`, token: adminToken }),
    create: (adminToken: string, body: CreateRoleInput) =>
      rolesAt(send, '/v1/admin/roles', adminToken).create(body),
    update: (adminToken: string, key: string, body: UpdateRoleInput) =>
      rolesAt(send, '/v1/admin/roles', adminToken).update(key, body),
    remove: (adminToken: string, key: string) =>
      rolesAt(send, '/v1/admin/roles', adminToken).remove(key),
    /** Gives a user a tenant role (idempotent). */
    assign: (adminToken: string, userId: string, key: string) =>
      send<undefined>({
        method: 'PUT',
        path: `/v1/admin/users/${seg(userId)}/roles/${seg(key)}`,
        token: adminToken,
      }),
    /** Takes a tenant role from a user (idempotent). */
    unassign: (adminToken: string, userId: string, key: string) =>
      send<undefined>({
        method: 'DELETE',
        path: `/v1/admin/users/${seg(userId)}/roles/${seg(key)}`,
        token: adminToken,
      }),
  };
}

/** `/v1/organizations` and `/v1/invitations/accept`: calls as the user of `accessToken`. */
export function organizationsApi(send: Send) {
  const org = (id: string) => `/v1/organizations/${seg(id)}`;
  return {
    create: (accessToken: string, body: CreateOrganizationInput) =>
      send<Organization>({ method: 'POST', path: '/v1/organizations', token: accessToken, body }),
    /** One page of the caller's organizations (`query.cursor`: the previous `next_cursor`). */
    list: (accessToken: string, query?: OrganizationPageQuery) =>
      send<OrganizationList>({
        method: 'GET',
        path: '/v1/organizations',
        token: accessToken,
        query: { ...query },
      }),
    /** Every organization of the caller, page after page (`limit`: the page size). */
    iterate: (
      accessToken: string,
      options?: { limit?: number },
    ): AsyncGenerator<OrganizationListItem> =>
      paginate((cursor) =>
        send<OrganizationList>({
          method: 'GET',
          path: '/v1/organizations',
          token: accessToken,
          query: { limit: options?.limit, cursor },
        }),
      ),
    get: (accessToken: string, id: string) =>
      send<Organization>({ method: 'GET', path: org(id), token: accessToken }),
    update: (accessToken: string, id: string, body: UpdateOrganizationInput) =>
      send<Organization>({ method: 'PATCH', path: org(id), token: accessToken, body }),
    remove: (accessToken: string, id: string) =>
      send<undefined>({ method: 'DELETE', path: org(id), token: accessToken }),
    members: {
      /** One page of the members (`query.cursor`: the previous `next_cursor`). */
      list: (accessToken: string, id: string, query?: OrganizationPageQuery) =>
        send<OrganizationMemberList>({
          method: 'GET',
          path: `${org(id)}/members`,
          token: accessToken,
          query: { ...query },
        }),
      /** Every member, page after page (`limit`: the page size). */
      iterate: (
        accessToken: string,
        id: string,
        options?: { limit?: number },
      ): AsyncGenerator<OrganizationMember> =>
        paginate((cursor) =>
          send<OrganizationMemberList>({
            method: 'GET',
            path: `${org(id)}/members`,
            token: accessToken,
            query: { limit: options?.limit, cursor },
          }),
        ),
      /** Transfer ownership: make another member `owner`, then change your own role. */
      setRole: (accessToken: string, id: string, userId: string, role: string) =>
        send<OrganizationMember>({
          method: 'PATCH',
          path: `${org(id)}/members/${seg(userId)}`,
          token: accessToken,
          body: { role },
        }),
      /** Your own user id: leave the organization. */
      remove: (accessToken: string, id: string, userId: string) =>
        send<undefined>({
          method: 'DELETE',
          path: `${org(id)}/members/${seg(userId)}`,
          token: accessToken,
        }),
    },
    roles: (accessToken: string, id: string) => rolesAt(send, `${org(id)}/roles`, accessToken),
    invitations: {
      create: (accessToken: string, id: string, body: CreateInvitationInput) =>
        send<Invitation>({
          method: 'POST',
          path: `${org(id)}/invitations`,
          token: accessToken,
          body,
        }),
      /** One page of the pending invitations, newest first (owners and admins). */
      list: (accessToken: string, id: string, query?: OrganizationPageQuery) =>
        send<InvitationList>({
          method: 'GET',
          path: `${org(id)}/invitations`,
          token: accessToken,
          query: { ...query },
        }),
      /** Every pending invitation, page after page (`limit`: the page size). */
      iterate: (
        accessToken: string,
        id: string,
        options?: { limit?: number },
      ): AsyncGenerator<PendingInvitation> =>
        paginate((cursor) =>
          send<InvitationList>({
            method: 'GET',
            path: `${org(id)}/invitations`,
            token: accessToken,
            query: { limit: options?.limit, cursor },
          }),
        ),
      revoke: (accessToken: string, id: string, invitationId: string) =>
        send<undefined>({
          method: 'DELETE',
          path: `${org(id)}/invitations/${seg(invitationId)}`,
          token: accessToken,
        }),
      /** The `token=` of the invitation mail; the caller must be the invited, verified user. */
      accept: (accessToken: string, token: string) =>
        send<Organization>({
          method: 'POST',
          path: '/v1/invitations/accept',
          token: accessToken,
          body: { token },
        }),
    },
  };
}
