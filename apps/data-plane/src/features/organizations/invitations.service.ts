import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  normalizeEmail,
  type InvitationRow,
  type MemberOrganizationRow,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { generateLinkToken, hashLinkToken } from '../../one-time-tokens/link-token';
import type { SendMail } from '../../one-time-tokens/mail-tokens';
import type { TenantContext } from '../../tenancy/tenant-context';
import { accessOf, requireGrantable, requireManager } from './org-access';

/** How long an invitation stays good (docs/organizations.md). */
const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

/** Where the mail's link points; the token rides as `token=`. */
const INVITATION_PAGE = '/login/invitation';

export interface InvitationService {
  /** Stores the invitation and queues its mail in one transaction. */
  invite(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    input: { email: string; role: string },
    locale: string,
    meta: RequestMeta,
  ): Promise<InvitationRow>;
  listPending(tenant: TenantContext, userId: string, orgId: string): Promise<InvitationRow[]>;
  revoke(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    invitationId: string,
    meta: RequestMeta,
  ): Promise<void>;
  /**
   * Joins the caller to the invitation's organization. The caller's verified email must be the
   * invited one; any failure (unknown, spent, expired, revoked, another user's) is the same
   * `invalid_invitation`, and leaves the invitation unspent for its rightful user.
   */
  accept(
    tenant: TenantContext,
    userId: string,
    token: string,
    meta: RequestMeta,
  ): Promise<MemberOrganizationRow>;
}

export function createInvitationService(deps: { sendMail: SendMail }): InvitationService {
  return {
    async invite(tenant, userId, orgId, input, locale, meta) {
      const access = await accessOf(tenant.db, orgId, userId);
      await requireGrantable(tenant.db, access, input.role, 'body.role');
      const emailNormalized = normalizeEmail(input.email);
      const existing = await tenant.db.users.findByEmailNormalized(emailNormalized);
      if (existing && (await tenant.db.memberships.find(orgId, existing.id))) {
        throw new AppError('already_member', 'This address belongs to a member (body.email).');
      }
      const { token, hash } = generateLinkToken();
      const link = new URL(`${tenant.config.issuer}${INVITATION_PAGE}`);
      link.searchParams.set('token', token);
      const invitation = await tenant.db.transaction(async (tx) => {
        const created = await tx.invitations.create({
          id: randomUUID(),
          organizationId: orgId,
          emailNormalized,
          role: input.role,
          tokenHash: hash,
          invitedBy: userId,
          expiresAt: new Date(Date.now() + INVITATION_TTL_SECONDS * 1000),
        });
        await deps.sendMail(tx, tenant, {
          kind: 'invitation',
          to: input.email.trim(),
          locale,
          variables: {
            link: link.href,
            organization: access.organization.name,
            role: input.role,
          },
        });
        return created;
      });
      await audit(tenant.db, meta, {
        action: 'invitation.created',
        outcome: 'success',
        userId,
        target: invitation.id,
        details: { organization_id: orgId, role: input.role },
      });
      return invitation;
    },

    async listPending(tenant, userId, orgId) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      return tenant.db.invitations.listPending(orgId, new Date());
    },

    async revoke(tenant, userId, orgId, invitationId, meta) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      if (!(await tenant.db.invitations.revoke(orgId, invitationId, new Date()))) {
        throw new AppError('invitation_not_found');
      }
      await audit(tenant.db, meta, {
        action: 'invitation.revoked',
        outcome: 'success',
        userId,
        target: invitationId,
        details: { organization_id: orgId },
      });
    },

    async accept(tenant, userId, token, meta) {
      const now = new Date();
      const invitation = await tenant.db.invitations.findByTokenHash(hashLinkToken(token));
      const user = await tenant.db.users.findById(userId);
      const fail = async (reason: string, target: string | null): Promise<never> => {
        await audit(tenant.db, meta, {
          action: 'invitation.accepted',
          outcome: 'failure',
          userId,
          target,
          details: { reason },
        });
        throw new AppError('invalid_invitation');
      };
      if (
        !invitation ||
        invitation.acceptedAt ||
        invitation.revokedAt ||
        invitation.expiresAt <= now
      ) {
        return fail('not_pending', invitation?.id ?? null);
      }
      // The address is the invitation's secret's second half: another signed-in user learns
      // nothing, and the invitation stays good for its addressee.
      if (!user || normalizeEmail(user.email) !== invitation.emailNormalized) {
        return fail('other_user', invitation.id);
      }
      if (!user.emailVerified) return fail('email_not_verified', invitation.id);
      try {
        await tenant.db.transaction(async (tx) => {
          if (!(await tx.invitations.accept(invitation.id, now))) {
            throw new AppError('invalid_invitation');
          }
          await tx.memberships.add({
            id: randomUUID(),
            organizationId: invitation.organizationId,
            userId,
            role: invitation.role,
          });
        });
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new AppError('already_member', 'You are a member of this organization already.');
        }
        throw error;
      }
      await audit(tenant.db, meta, {
        action: 'invitation.accepted',
        outcome: 'success',
        userId,
        target: invitation.id,
      });
      await audit(tenant.db, meta, {
        action: 'membership.created',
        outcome: 'success',
        userId,
        target: invitation.organizationId,
        details: { role: invitation.role, via: 'invitation' },
      });
      const { organization } = await accessOf(tenant.db, invitation.organizationId, userId);
      return { ...organization, role: invitation.role };
    },
  };
}
