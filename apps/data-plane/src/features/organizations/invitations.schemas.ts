import type { InvitationRow } from '@hellojohn/dal';
import { pageOf } from '@hellojohn/http';
import { z } from 'zod';
import { RoleKey } from '../../authorization/permissions';
import { Email } from '../../credentials/credential.schemas';

export const CreateInvitationBody = z.strictObject({
  email: Email,
  role: RoleKey.describe('Within your rights: owners any role, admins any but `owner`.'),
});

export const Invitation = z.object({
  id: z.string(),
  email: z.string().describe('The invited address (normalized).'),
  role: z.string(),
  invited_by: z.string().nullable().describe('The inviting user id.'),
  expires_at: z.string(),
  created_at: z.string(),
});

export const InvitationList = pageOf(Invitation);

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const InvitationParams = z.object({
  org: z.string().min(1).max(64),
  id: z.string().min(1).max(64),
});

export const AcceptInvitationBody = z.strictObject({
  token: z.string().min(1).max(200).describe('The `token=` of the invitation mail.'),
});

export function toInvitationView(invitation: InvitationRow): z.input<typeof Invitation> {
  return {
    id: invitation.id,
    email: invitation.emailNormalized,
    role: invitation.role,
    invited_by: invitation.invitedBy,
    expires_at: invitation.expiresAt.toISOString(),
    created_at: invitation.createdAt.toISOString(),
  };
}
