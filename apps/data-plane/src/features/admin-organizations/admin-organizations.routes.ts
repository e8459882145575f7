import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import {
  InvitationList,
  InvitationParams,
  Member,
  MemberList,
  MemberParams,
  OrganizationParams,
  OrgListQuery,
  PatchMemberBody,
  toInvitationView,
  toMemberView,
} from '../organizations';
import {
  AdminOrganization,
  AdminOrganizationList,
  AdminOrganizationQuery,
  CreateAdminOrganizationBody,
  PatchAdminOrganizationBody,
  toAdminOrganizationView,
} from './admin-organizations.schemas';
import type { AdminOrganizationService } from './admin-organizations.service';

const TAGS = ['admin organizations'];
const ORG = '`{org}` is the organization id or slug.';

/**
 * `/v1/admin/organizations`: every organization of the tenant, for tenant admins (a CP admin
 * token or API key; guards in routes/index.ts), who need not be members.
 */
export function adminOrganizationRoutes(orgs: AdminOrganizationService) {
  return {
    list: endpoint(
      {
        summary: 'List the organizations (oldest first), optionally by name or slug',
        tags: TAGS,
        query: AdminOrganizationQuery,
        response: AdminOrganizationList,
        errors: ['invalid_cursor'],
      },
      async function listOrganizationsAsAdmin({ query }, _req, res) {
        const page = await orgs.list(tenantOf(res), query);
        return { data: page.rows.map(toAdminOrganizationView), next_cursor: page.nextCursor };
      },
    ),
    create: endpoint(
      {
        summary: 'Create an organization, optionally with its first owner',
        tags: TAGS,
        body: CreateAdminOrganizationBody,
        response: AdminOrganization,
        status: 201,
        errors: ['organization_slug_taken', 'user_not_found'],
      },
      async function createOrganizationAsAdmin({ body }, req, res) {
        const org = await orgs.create(
          tenantOf(res),
          adminActorOf(res),
          {
            name: body.name,
            slug: body.slug,
            ownerUserId: body.owner_user_id,
            metadata: body.metadata,
          },
          requestMetaOf(req),
        );
        return toAdminOrganizationView(org);
      },
    ),
    get: endpoint(
      {
        summary: 'Get an organization',
        description: ORG,
        tags: TAGS,
        params: OrganizationParams,
        response: AdminOrganization,
        errors: ['organization_not_found'],
      },
      async function getOrganizationAsAdmin({ params }, _req, res) {
        return toAdminOrganizationView(await orgs.get(tenantOf(res), params.org));
      },
    ),
    update: endpoint(
      {
        summary: 'Rename an organization, change its slug or replace its metadata',
        description: ORG,
        tags: TAGS,
        params: OrganizationParams,
        body: PatchAdminOrganizationBody,
        response: AdminOrganization,
        errors: ['organization_not_found', 'organization_slug_taken'],
      },
      async function updateOrganizationAsAdmin({ params, body }, req, res) {
        const org = await orgs.update(
          tenantOf(res),
          adminActorOf(res),
          params.org,
          body,
          requestMetaOf(req),
        );
        return toAdminOrganizationView(org);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete an organization with its members and invitations',
        description: ORG,
        tags: TAGS,
        params: OrganizationParams,
        status: 204,
        errors: ['organization_not_found'],
      },
      async function deleteOrganizationAsAdmin({ params }, req, res) {
        await orgs.remove(tenantOf(res), adminActorOf(res), params.org, requestMetaOf(req));
      },
    ),
    members: endpoint(
      {
        summary: "An organization's members, oldest first",
        description: ORG,
        tags: TAGS,
        params: OrganizationParams,
        query: OrgListQuery,
        response: MemberList,
        errors: ['organization_not_found', 'invalid_cursor'],
      },
      async function listOrganizationMembersAsAdmin({ params, query }, _req, res) {
        const page = await orgs.listMembers(tenantOf(res), params.org, query);
        return { data: page.rows.map(toMemberView), next_cursor: page.nextCursor };
      },
    ),
    putMember: endpoint(
      {
        summary: "Add a user to an organization, or change a member's role",
        description: `${ORG} 201 when the user joined, 200 when a member's role changed (or already was \`role\`). Demoting the last owner is refused (409 \`last_owner\`).`,
        tags: TAGS,
        params: MemberParams,
        body: PatchMemberBody,
        responses: { 200: Member, 201: Member },
        errors: ['organization_not_found', 'user_not_found', 'role_not_found', 'last_owner'],
      },
      async function putOrganizationMemberAsAdmin({ params, body, reply }, req, res) {
        const { member, created } = await orgs.putMember(
          tenantOf(res),
          adminActorOf(res),
          params.org,
          params.user_id,
          body.role,
          requestMetaOf(req),
        );
        return reply(created ? 201 : 200, toMemberView(member));
      },
    ),
    removeMember: endpoint(
      {
        summary: 'Remove a member from an organization',
        description: `${ORG} The last owner cannot be removed (409 \`last_owner\`): make another member owner first, or delete the organization.`,
        tags: TAGS,
        params: MemberParams,
        status: 204,
        errors: ['organization_not_found', 'member_not_found', 'last_owner'],
      },
      async function removeOrganizationMemberAsAdmin({ params }, req, res) {
        await orgs.removeMember(
          tenantOf(res),
          adminActorOf(res),
          params.org,
          params.user_id,
          requestMetaOf(req),
        );
      },
    ),
    invitations: endpoint(
      {
        summary: "An organization's pending invitations, newest first",
        description: ORG,
        tags: TAGS,
        params: OrganizationParams,
        query: OrgListQuery,
        response: InvitationList,
        errors: ['organization_not_found', 'invalid_cursor'],
      },
      async function listOrganizationInvitationsAsAdmin({ params, query }, _req, res) {
        const page = await orgs.listInvitations(tenantOf(res), params.org, query);
        return { data: page.rows.map(toInvitationView), next_cursor: page.nextCursor };
      },
    ),
    revokeInvitation: endpoint(
      {
        summary: 'Revoke a pending invitation',
        description: ORG,
        tags: TAGS,
        params: InvitationParams,
        status: 204,
        errors: ['organization_not_found', 'invitation_not_found'],
      },
      async function revokeOrganizationInvitationAsAdmin({ params }, req, res) {
        await orgs.revokeInvitation(
          tenantOf(res),
          adminActorOf(res),
          params.org,
          params.id,
          requestMetaOf(req),
        );
      },
    ),
  };
}
