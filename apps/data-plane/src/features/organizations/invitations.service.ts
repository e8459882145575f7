import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  normalizeEmail,
  type InvitationRow,
  type MemberOrganizationRow,
  type Page,
  type PageRequest,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { generateLinkToken, hashLinkToken } from '../../one-time-tokens/link-token';
import type { SendMail } from '../../one-time-tokens/mail-tokens';
import type { TenantContext } from '../../tenancy/tenant-context';
import { accessOf, requireGrantable, requireManager } from './org-access';
import { pageOrInvalidCursor } from './org-pages';
import { recordDomainEvent } from '../../outbox';

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
  listPending(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    request: PageRequest,
  ): Promise<Page<InvitationRow>>;
  revoke(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    invitationId: string,
    meta: RequestMeta,
  ): Promise<void>;
  /**
   * What a pending invitation offers (the hosted page shows it); undefined when the token is
   * unknown, spent, revoked or expired. Spends nothing: mail scanners fetch links.
   */
  peek(
    tenant: TenantContext,
    token: string,
  ): Promise<{ organization: string; role: string } | undefined>;
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
  /**
   * `accept` for the hosted page, which tells the person why it failed (they hold the token, so
   * it reveals nothing the mail did not): the same checks, audit and unspent invitation.
   */
  acceptOutcome(
    tenant: TenantContext,
    userId: string,
    token: string,
    meta: RequestMeta,
  ): Promise<AcceptOutcome>;
}

/** How an acceptance ended; only `accepted` spends the invitation. */
export type AcceptOutcome =
  | { kind: 'accepted'; organization: MemberOrganizationRow }
  | { kind: 'not_pending' | 'other_user' | 'email_not_verified' | 'already_member' };

export function createInvitationService(deps: { sendMail: SendMail }): InvitationService {
  const acceptOutcome: InvitationService['acceptOutcome'] = async (tenant, userId, token, meta) => {
    const now = new Date();
    const invitation = await tenant.db.invitations.findByTokenHash(hashLinkToken(token));
    const user = await tenant.db.users.findById(userId);
    const fail = async (
      kind: 'not_pending' | 'other_user' | 'email_not_verified',
      target: string | null,
    ): Promise<AcceptOutcome> => {
      await audit(tenant.db, meta, {
        action: 'invitation.accepted',
        outcome: 'failure',
        userId,
        target,
        details: { reason: kind },
      });
      return { kind };
    };
    if (
      !invitation ||
      invitation.acceptedAt ||
      invitation.revokedAt ||
      invitation.expiresAt <= now
    ) {
      return fail('not_pending', invitation?.id ?? null);
    }
    // The address is the invitation's secret's second half: another signed-in user cannot take
    // it, and the invitation stays good for its addressee.
    if (!user || normalizeEmail(user.email) !== invitation.emailNormalized) {
      return fail('other_user', invitation.id);
    }
    if (!user.emailVerified) return fail('email_not_verified', invitation.id);
    try {
      const spent = await tenant.db.transaction(async (tx) => {
        if (!(await tx.invitations.accept(invitation.id, now))) return false;
        await tx.memberships.add({
          id: randomUUID(),
          organizationId: invitation.organizationId,
          userId,
          role: invitation.role,
        });
        await recordDomainEvent(tx, 'membership.created', {
          organization_id: invitation.organizationId,
          user_id: userId,
          role: invitation.role,
        });
        return true;
      });
      if (!spent) return { kind: 'not_pending' };
    } catch (error) {
      if (error instanceof ConflictError) return { kind: 'already_member' };
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
    return { kind: 'accepted', organization: { ...organization, role: invitation.role } };
  };

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

    async listPending(tenant, userId, orgId, request) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      return pageOrInvalidCursor(() =>
        tenant.db.invitations.pagePending(orgId, new Date(), request),
      );
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

    async peek(tenant, token) {
      const invitation = await tenant.db.invitations.findByTokenHash(hashLinkToken(token));
      if (!invitation || invitation.acceptedAt || invitation.revokedAt) return undefined;
      if (invitation.expiresAt <= new Date()) return undefined;
      const organization = await tenant.db.organizations.findById(invitation.organizationId);
      return organization && { organization: organization.name, role: invitation.role };
    },

    async accept(tenant, userId, token, meta) {
      const outcome = await acceptOutcome(tenant, userId, token, meta);
      if (outcome.kind === 'accepted') return outcome.organization;
      if (outcome.kind === 'already_member') {
        throw new AppError('already_member', 'You are a member of this organization already.');
      }
      throw new AppError('invalid_invitation');
    },

    acceptOutcome,
  };
}
