import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import { CreateRoleBody, PatchRoleBody, Role, RoleList, toRoleView } from '../roles';
import {
  CreateOrganizationBody,
  Member,
  MemberList,
  MemberParams,
  Organization,
  OrganizationList,
  OrganizationParams,
  OrgListQuery,
  OrgRoleParams,
  PatchMemberBody,
  PatchOrganizationBody,
  toMemberView,
  toOrganizationView,
} from './organizations.schemas';
import type { OrganizationService } from './organizations.service';

const TAGS = ['organizations'];

/**
 * `/v1/organizations` for signed-in users (behind `requireUser`, docs/organizations.md). An
 * organization the caller is not a member of answers 404 `organization_not_found`.
 */
export function organizationRoutes(orgs: OrganizationService) {
  return {
    create: endpoint(
      {
        summary: 'Create an organization; you become its owner',
        tags: TAGS,
        body: CreateOrganizationBody,
        response: Organization,
        status: 201,
        errors: ['organization_slug_taken'],
      },
      async function createOrganization({ body }, req, res) {
        const org = await orgs.create(
          tenantOf(res),
          callerOf(res).userId,
          body,
          requestMetaOf(req),
        );
        return toOrganizationView(org);
      },
    ),
    list: endpoint(
      {
        summary: 'The organizations you are a member of, oldest first',
        tags: TAGS,
        query: OrgListQuery,
        response: OrganizationList,
        errors: ['invalid_cursor'],
      },
      async function listMyOrganizations({ query }, _req, res) {
        const page = await orgs.listMine(tenantOf(res), callerOf(res).userId, query);
        return { data: page.rows.map(toOrganizationView), next_cursor: page.nextCursor };
      },
    ),
    get: endpoint(
      {
        summary: 'Get an organization you are a member of',
        tags: TAGS,
        params: OrganizationParams,
        response: Organization,
        errors: ['organization_not_found'],
      },
      async function getOrganization({ params }, _req, res) {
        return toOrganizationView(await orgs.get(tenantOf(res), callerOf(res).userId, params.org));
      },
    ),
    update: endpoint(
      {
        summary: 'Rename an organization or change its slug (owners and admins)',
        tags: TAGS,
        params: OrganizationParams,
        body: PatchOrganizationBody,
        response: Organization,
        errors: ['organization_not_found', 'insufficient_role', 'organization_slug_taken'],
      },
      async function updateOrganization({ params, body }, req, res) {
        const org = await orgs.update(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          body,
          requestMetaOf(req),
        );
        return toOrganizationView(org);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete an organization with its members and invitations (owners)',
        tags: TAGS,
        params: OrganizationParams,
        status: 204,
        errors: ['organization_not_found', 'insufficient_role'],
      },
      async function deleteOrganization({ params }, req, res) {
        await orgs.remove(tenantOf(res), callerOf(res).userId, params.org, requestMetaOf(req));
      },
    ),
    members: endpoint(
      {
        summary: "An organization's members, oldest first",
        tags: TAGS,
        params: OrganizationParams,
        query: OrgListQuery,
        response: MemberList,
        errors: ['organization_not_found', 'invalid_cursor'],
      },
      async function listOrganizationMembers({ params, query }, _req, res) {
        const page = await orgs.listMembers(tenantOf(res), callerOf(res).userId, params.org, query);
        return { data: page.rows.map(toMemberView), next_cursor: page.nextCursor };
      },
    ),
    updateMember: endpoint(
      {
        summary: "Change a member's role (owners any; admins any but owner)",
        description:
          'Transfer ownership: make another member `owner`, then change your own role. The last owner cannot step down (409 `last_owner`).',
        tags: TAGS,
        params: MemberParams,
        body: PatchMemberBody,
        response: Member,
        errors: [
          'organization_not_found',
          'member_not_found',
          'role_not_found',
          'insufficient_role',
          'last_owner',
        ],
      },
      async function updateOrganizationMember({ params, body }, req, res) {
        const updated = await orgs.changeMemberRole(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          params.user_id,
          body.role,
          requestMetaOf(req),
        );
        return toMemberView(updated);
      },
    ),
    removeMember: endpoint(
      {
        summary: 'Remove a member, or leave (your own user id)',
        description:
          'Owners remove anyone, admins anyone but owners. The last owner cannot leave (409 `last_owner`). The removed member loses access to the organization routes at once, and its claims at their next refresh.',
        tags: TAGS,
        params: MemberParams,
        status: 204,
        errors: ['organization_not_found', 'member_not_found', 'insufficient_role', 'last_owner'],
      },
      async function removeOrganizationMember({ params }, req, res) {
        await orgs.removeMember(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          params.user_id,
          requestMetaOf(req),
        );
      },
    ),
    roles: endpoint(
      {
        summary: "An organization's custom roles",
        tags: TAGS,
        params: OrganizationParams,
        response: RoleList,
        errors: ['organization_not_found'],
      },
      async function listOrganizationRoles({ params }, _req, res) {
        const list = await orgs.listRoles(tenantOf(res), callerOf(res).userId, params.org);
        return { data: list.map(toRoleView) };
      },
    ),
    createRole: endpoint(
      {
        summary: 'Create a custom organization role (owners and admins)',
        tags: TAGS,
        params: OrganizationParams,
        body: CreateRoleBody,
        response: Role,
        status: 201,
        errors: ['organization_not_found', 'insufficient_role', 'role_key_taken'],
      },
      async function createOrganizationRole({ params, body }, req, res) {
        const role = await orgs.createRole(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          body,
          requestMetaOf(req),
        );
        return toRoleView(role);
      },
    ),
    updateRole: endpoint(
      {
        summary: 'Change a custom organization role (owners and admins)',
        tags: TAGS,
        params: OrgRoleParams,
        body: PatchRoleBody,
        response: Role,
        errors: ['organization_not_found', 'insufficient_role', 'role_not_found'],
      },
      async function updateOrganizationRole({ params, body }, req, res) {
        const role = await orgs.updateRole(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          params.role,
          body,
          requestMetaOf(req),
        );
        return toRoleView(role);
      },
    ),
    removeRole: endpoint(
      {
        summary: 'Delete a custom organization role no member holds (owners and admins)',
        tags: TAGS,
        params: OrgRoleParams,
        status: 204,
        errors: ['organization_not_found', 'insufficient_role', 'role_not_found', 'role_in_use'],
      },
      async function deleteOrganizationRole({ params }, req, res) {
        await orgs.removeRole(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          params.role,
          requestMetaOf(req),
        );
      },
    ),
  };
}
