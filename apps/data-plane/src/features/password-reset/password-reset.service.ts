import { normalizeEmail } from '@hellojohn/dal';
import { AppError, type Logger } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { checkPassword } from '../../credentials/check-password';
import { runDetached } from '../../one-time-tokens/detached';
import type { MailTokens } from '../../one-time-tokens';
import type { TenantContext } from '../../tenancy/tenant-context';
import { recordDomainEvent, revokeUserSessionsRecorded } from '../../outbox';

export interface PasswordResetService {
  /**
   * Mails a reset link when an active account has the address; the caller answers 202 at once.
   * `extraQuery` rides on the link (the hosted login's `tx`).
   */
  forgot(
    tenant: TenantContext,
    email: string,
    locale: string,
    meta: RequestMeta,
    extraQuery?: Record<string, string>,
  ): void;
  /**
   * Sets a new password with a reset link: the policy first (a weak password does not spend the
   * link), then the link, then in one transaction the password, every session revoked, every
   * other reset link killed, and the address marked verified (the link proved the mailbox).
   */
  reset(tenant: TenantContext, token: string, password: string, meta: RequestMeta): Promise<void>;
}

export function createPasswordResetService(deps: {
  mailTokens: MailTokens;
  hashers: (cost: number) => PasswordHasher;
  logger: Logger;
}): PasswordResetService {
  const { mailTokens } = deps;
  return {
    forgot(tenant, email, locale, meta, extraQuery) {
      runDetached(deps.logger, 'password_reset', async () => {
        const user = await tenant.db.users.findByEmailNormalized(normalizeEmail(email));
        if (!user || user.status !== 'active') {
          mailTokens.sendNothing(tenant, 'password_reset');
          await audit(tenant.db, meta, {
            action: 'password.reset_requested',
            outcome: 'failure',
            userId: user?.id ?? null,
            details: { reason: user ? 'user_disabled' : 'unknown_email' },
          });
          return;
        }
        await mailTokens.sendLink(tenant, user, 'password_reset', locale, { extraQuery });
        await audit(tenant.db, meta, {
          action: 'password.reset_requested',
          outcome: 'success',
          userId: user.id,
        });
      });
    },

    async reset(tenant, token, password, meta) {
      checkPassword(tenant.policy, password, 'body.password');
      const hash = await deps.hashers(tenant.policy.bcryptCost).hash(password);
      const user = await mailTokens.consumeLink(tenant, 'password_reset', token);
      if (!user) {
        await audit(tenant.db, meta, {
          action: 'password.reset',
          outcome: 'failure',
          details: { reason: 'invalid_link_token' },
        });
        throw new AppError('invalid_link_token');
      }
      const now = new Date();
      const revoked = await tenant.db.transaction(async (db) => {
        await db.credentials.setPassword(user.id, hash);
        await recordDomainEvent(db, 'user.password_changed', { user_id: user.id });
        await db.oneTimeTokens.revokeAll(user.id, 'password_reset', now);
        // A mailed sign-in link or code would bypass the new password: they die too.
        await db.oneTimeTokens.revokeAll(user.id, 'magic_link', now);
        await db.oneTimeTokens.revokeAll(user.id, 'email_otp', now);
        if (!user.emailVerified) await db.users.update(user.id, { emailVerified: true });
        return revokeUserSessionsRecorded(db, user.id, 'password_reset');
      });
      await audit(tenant.db, meta, {
        action: 'password.reset',
        outcome: 'success',
        userId: user.id,
        details: { sessions_revoked: revoked },
      });
    },
  };
}
