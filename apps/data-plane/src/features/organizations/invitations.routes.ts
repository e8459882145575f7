import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { tenantOf } from '../../tenancy/tenant-context';
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  Invitation,
  InvitationList,
  InvitationParams,
  toInvitationView,
} from './invitations.schemas';
import type { InvitationService } from './invitations.service';
import {
  Organization,
  OrganizationParams,
  OrgListQuery,
  toOrganizationView,
} from './organizations.schemas';

const TAGS = ['organizations'];

/** Invitations to organizations, for signed-in users (docs/organizations.md). */
export function invitationRoutes(invitations: InvitationService) {
  return {
    create: endpoint(
      {
        summary: 'Invite someone by email (owners and admins); the mail carries a token',
        description:
          'The role must be within your rights (admins cannot invite owners). The invitation is single use and expires in 7 days.',
        tags: TAGS,
        params: OrganizationParams,
        body: CreateInvitationBody,
        response: Invitation,
        status: 201,
        errors: ['organization_not_found', 'insufficient_role', 'role_not_found', 'already_member'],
      },
      async function createInvitation({ params, body }, req, res) {
        const invitation = await invitations.invite(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          body,
          mailLocaleOf(req),
          requestMetaOf(req),
        );
        return toInvitationView(invitation);
      },
    ),
    list: endpoint(
      {
        summary: "An organization's pending invitations, newest first (owners and admins)",
        tags: TAGS,
        params: OrganizationParams,
        query: OrgListQuery,
        response: InvitationList,
        errors: ['organization_not_found', 'insufficient_role', 'invalid_cursor'],
      },
      async function listInvitations({ params, query }, _req, res) {
        const page = await invitations.listPending(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          query,
        );
        return { data: page.rows.map(toInvitationView), next_cursor: page.nextCursor };
      },
    ),
    revoke: endpoint(
      {
        summary: 'Revoke a pending invitation (owners and admins)',
        tags: TAGS,
        params: InvitationParams,
        status: 204,
        errors: ['organization_not_found', 'insufficient_role', 'invitation_not_found'],
      },
      async function revokeInvitation({ params }, req, res) {
        await invitations.revoke(
          tenantOf(res),
          callerOf(res).userId,
          params.org,
          params.id,
          requestMetaOf(req),
        );
      },
    ),
    accept: endpoint(
      {
        summary: 'Accept an invitation: join its organization',
        description:
          'The bearer must be the invited user, with that email address verified. Any other case (unknown, spent, expired or revoked token, another user) answers the same 404 `invalid_invitation`.',
        tags: TAGS,
        body: AcceptInvitationBody,
        response: Organization,
        errors: ['invalid_invitation', 'already_member'],
      },
      async function acceptInvitation({ body }, req, res) {
        const org = await invitations.accept(
          tenantOf(res),
          callerOf(res).userId,
          body.token,
          requestMetaOf(req),
        );
        return toOrganizationView(org);
      },
    ),
  };
}
