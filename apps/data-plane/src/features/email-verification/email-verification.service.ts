import type { UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { MailTokens } from '../../one-time-tokens';
import type { TenantContext } from '../../tenancy/tenant-context';

export interface EmailVerificationService {
  /** Mails a verification link to the signed-in user; nothing when already verified. */
  send(tenant: TenantContext, userId: string, locale: string, meta: RequestMeta): Promise<void>;
  /** Mails a verification link to `user` (sign-up under `require_email_verification`). */
  sendTo(tenant: TenantContext, user: UserRow, locale: string, meta: RequestMeta): Promise<void>;
  /** Spends a verification link and marks the address it was sent to verified. */
  verify(tenant: TenantContext, token: string, meta: RequestMeta): Promise<UserRow>;
}

export function createEmailVerificationService(deps: {
  mailTokens: MailTokens;
}): EmailVerificationService {
  const { mailTokens } = deps;
  const service: EmailVerificationService = {
    async send(tenant, userId, locale, meta) {
      const user = await tenant.db.users.findById(userId);
      if (!user) throw new AppError('unauthenticated');
      if (user.emailVerified) return;
      await service.sendTo(tenant, user, locale, meta);
    },

    async sendTo(tenant, user, locale, meta) {
      await mailTokens.sendLink(tenant, user, 'verify_email', locale);
      await audit(tenant.db, meta, {
        action: 'email.verification_sent',
        outcome: 'success',
        userId: user.id,
      });
    },

    async verify(tenant, token, meta) {
      // The link is bound to the address it went to: after an email change it verifies nothing.
      const user = await mailTokens.consumeLink(tenant, 'verify_email', token);
      if (!user) {
        await audit(tenant.db, meta, {
          action: 'email.verified',
          outcome: 'failure',
          details: { reason: 'invalid_link_token' },
        });
        throw new AppError('invalid_link_token');
      }
      const updated = user.emailVerified
        ? user
        : ((await tenant.db.users.update(user.id, { emailVerified: true })) ?? user);
      await audit(tenant.db, meta, {
        action: 'email.verified',
        outcome: 'success',
        userId: user.id,
        details: { email: user.email },
      });
      return updated;
    },
  };
  return service;
}
