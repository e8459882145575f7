import { normalizeEmail, type UserRow } from '@hellojohn/dal';
import { AppError, type Logger } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { runDetached } from '../../one-time-tokens/detached';
import type { MailTokens } from '../../one-time-tokens';
import type { TenantContext } from '../../tenancy/tenant-context';
import { singleFactor } from '../../tokens/authentication-context';
import type { SessionTokens, TokenPair } from '../../tokens/session-tokens';
import type { MfaChallengeView, MfaStepService } from '../mfa';

export interface PasswordlessService {
  /**
   * Mails a sign-in link when an active account has the address; the caller answers 202 at
   * once. `extraQuery` rides on the link (the hosted login's `tx`).
   */
  sendMagicLink(
    tenant: TenantContext,
    email: string,
    locale: string,
    meta: RequestMeta,
    extraQuery?: Record<string, string>,
  ): void;
  /** Spends a sign-in link: its user, address marked verified (the link proved the mailbox). */
  useMagicLink(
    tenant: TenantContext,
    token: string,
    method: 'api' | 'hosted_login',
    meta: RequestMeta,
  ): Promise<UserRow>;
  /** Mails a fresh 6-digit code (replacing the last) when an active account has the address. */
  sendCode(tenant: TenantContext, email: string, locale: string, meta: RequestMeta): void;
  /** Spends the address's code; a wrong one counts an attempt. */
  useCode(tenant: TenantContext, email: string, code: string, meta: RequestMeta): Promise<UserRow>;
  /**
   * A session for a user who proved the mailbox (JSON API sign-in), or the MFA step when the user
   * has a second factor other than email (the mailbox is what was just proven).
   */
  startSession(
    tenant: TenantContext,
    user: UserRow,
    meta: RequestMeta,
  ): Promise<TokenPair | MfaChallengeView>;
}

export function createPasswordlessService(deps: {
  mailTokens: MailTokens;
  tokens: SessionTokens;
  logger: Logger;
  /** The MFA step after the mailed link or code; none: single-factor sign-in. */
  mfa?: Pick<MfaStepService, 'begin'> | undefined;
}): PasswordlessService {
  const { mailTokens } = deps;

  /** The account a mail may go to, or undefined after the same CPU work as a send. */
  async function recipient(
    tenant: TenantContext,
    email: string,
    purpose: 'magic_link' | 'email_otp',
    meta: RequestMeta,
  ): Promise<UserRow | undefined> {
    const user = await tenant.db.users.findByEmailNormalized(normalizeEmail(email));
    if (user && user.status === 'active') return user;
    mailTokens.sendNothing(tenant, purpose);
    await audit(tenant.db, meta, {
      action: purpose === 'magic_link' ? 'magic_link.sent' : 'email_otp.sent',
      outcome: 'failure',
      userId: user?.id ?? null,
      details: { reason: user ? 'user_disabled' : 'unknown_email' },
    });
    return undefined;
  }

  /** Tenant settings `passwordless.*` (docs/mail.md): a method turned off answers 403. */
  function requireEnabled(tenant: TenantContext, method: 'magic_link' | 'email_otp'): void {
    const enabled =
      method === 'magic_link' ? tenant.policy.magicLinkEnabled : tenant.policy.emailOtpEnabled;
    if (!enabled) {
      throw new AppError(
        'feature_disabled',
        `Sign-in by ${method === 'magic_link' ? 'mailed link (magic_link)' : 'mailed code (email_otp)'} is turned off for this tenant.`,
      );
    }
  }

  /** Receiving the mail proved the address: verified from now on. */
  async function proven(tenant: TenantContext, user: UserRow): Promise<UserRow> {
    if (user.emailVerified) return user;
    return (await tenant.db.users.update(user.id, { emailVerified: true })) ?? user;
  }

  return {
    sendMagicLink(tenant, email, locale, meta, extraQuery) {
      requireEnabled(tenant, 'magic_link');
      runDetached(deps.logger, 'magic_link', async () => {
        const user = await recipient(tenant, email, 'magic_link', meta);
        if (!user) return;
        await mailTokens.sendLink(tenant, user, 'magic_link', locale, { extraQuery });
        await audit(tenant.db, meta, {
          action: 'magic_link.sent',
          outcome: 'success',
          userId: user.id,
        });
      });
    },

    async useMagicLink(tenant, token, method, meta) {
      requireEnabled(tenant, 'magic_link');
      const user = await mailTokens.consumeLink(tenant, 'magic_link', token);
      if (!user) {
        await audit(tenant.db, meta, {
          action: 'magic_link.used',
          outcome: 'failure',
          details: { reason: 'invalid_link_token', method },
        });
        throw new AppError('invalid_link_token');
      }
      await audit(tenant.db, meta, {
        action: 'magic_link.used',
        outcome: 'success',
        userId: user.id,
        details: { method },
      });
      return proven(tenant, user);
    },

    sendCode(tenant, email, locale, meta) {
      requireEnabled(tenant, 'email_otp');
      runDetached(deps.logger, 'email_otp', async () => {
        const user = await recipient(tenant, email, 'email_otp', meta);
        if (!user) return;
        await mailTokens.sendCode(tenant, user, locale);
        await audit(tenant.db, meta, {
          action: 'email_otp.sent',
          outcome: 'success',
          userId: user.id,
        });
      });
    },

    async useCode(tenant, email, code, meta) {
      requireEnabled(tenant, 'email_otp');
      const user = await mailTokens.consumeCode(tenant, email, code);
      if (!user) {
        // One answer for an unknown address, a wrong, spent or expired code (no enumeration).
        await audit(tenant.db, meta, {
          action: 'email_otp.used',
          outcome: 'failure',
          details: { reason: 'invalid_one_time_code' },
        });
        throw new AppError('invalid_one_time_code');
      }
      await audit(tenant.db, meta, {
        action: 'email_otp.used',
        outcome: 'success',
        userId: user.id,
      });
      return proven(tenant, user);
    },

    async startSession(tenant, user, meta) {
      // A mailed link or code is a one-time secret (RFC 8176 `otp`); the email factor would prove
      // the same mailbox again, so it is not offered as the second factor.
      const amr = ['otp'];
      const step = deps.mfa
        ? await deps.mfa.begin(tenant, user, amr, meta, { exclude: ['email_otp'] })
        : { kind: 'done' as const, auth: singleFactor(amr) };
      if (step.kind === 'challenge') return step.challenge;
      const pair = await deps.tokens.startSession(tenant.db, tenant, user.id, meta, step.auth);
      await audit(tenant.db, meta, {
        action: 'user.signed_in',
        outcome: 'success',
        userId: user.id,
        details: { method: 'email' },
      });
      return pair;
    },
  };
}
