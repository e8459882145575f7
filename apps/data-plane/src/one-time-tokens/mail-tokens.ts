import { ConflictError, normalizeEmail, type UserRow } from '@hellojohn/dal';
import type { MailRelay } from '../mail/mail-relay';
import type { TenantContext } from '../tenancy/tenant-context';
import { generateLinkToken, hashLinkToken } from './link-token';
import { CODE_MAX_ATTEMPTS, createOneTimeCodes } from './one-time-code';

/** What a one-time token proves; each is mailed as its own kind of mail. */
export type LinkPurpose = 'verify_email' | 'password_reset' | 'magic_link';

/** What a mailed 6-digit code is for: signing in without a password, or a second factor. */
export type CodeKind = 'sign_in' | 'mfa';

/** The one-time-token purpose and the mail kind of each kind of code. */
const CODE_KINDS = {
  sign_in: { purpose: 'email_otp', mail: 'email_otp' },
  mfa: { purpose: 'mfa_email', mail: 'mfa_code' },
} as const;

/** The mail layer's entry point (apps/data-plane/src/mail): queues in the caller's transaction. */
export type SendMail = MailRelay['sendMail'];

/** The hosted page each link opens, under the tenant's issuer (`/t/{slug}`). */
const LINK_PAGES: Record<LinkPurpose, string> = {
  verify_email: '/login/verify-email',
  password_reset: '/login/reset',
  magic_link: '/login/magic',
};

function ttlSecondsOf(tenant: TenantContext, purpose: LinkPurpose | 'email_otp'): number {
  const p = tenant.policy;
  switch (purpose) {
    case 'verify_email':
      return p.verifyEmailTtlSeconds;
    case 'password_reset':
      return p.passwordResetTtlSeconds;
    case 'magic_link':
      return p.magicLinkTtlSeconds;
    case 'email_otp':
      return p.emailOtpTtlSeconds;
  }
}

export interface MailTokens {
  /**
   * Stores a new link token for the user and enqueues its mail, in one transaction (so a mail is
   * never sent for a token that was not stored). `extraQuery` rides on the link (the hosted
   * login's `tx`). `replaceOthers` kills the user's earlier live tokens of the purpose first.
   */
  sendLink(
    tenant: TenantContext,
    user: UserRow,
    purpose: LinkPurpose,
    locale: string,
    options?: { extraQuery?: Record<string, string>; replaceOthers?: boolean },
  ): Promise<void>;
  /**
   * A fresh 6-digit code replacing the user's previous one of that kind, mailed: `sign_in`
   * (passwordless, purpose `email_otp`) by default, or `mfa` (the second factor, purpose
   * `mfa_email`). Each kind has its own purpose, so a code of one never passes as the other.
   */
  sendCode(tenant: TenantContext, user: UserRow, locale: string, kind?: CodeKind): Promise<void>;
  /**
   * The same CPU work as a send, for an address with no (active) account, so the 202 costs the
   * same; nothing is stored or mailed.
   */
  sendNothing(tenant: TenantContext, purpose: LinkPurpose | 'email_otp'): void;
  /**
   * Spends a link token: the user it was mailed to, when the token is this tenant's, of this
   * purpose, unexpired, unspent, the user still active and still at the address it went to.
   * Spent even when the user check then fails (a link is good for one try).
   */
  consumeLink(
    tenant: TenantContext,
    purpose: LinkPurpose,
    token: string,
    now?: Date,
  ): Promise<UserRow | undefined>;
  /**
   * The user a live link token was mailed to, without spending it (a page shows the form that
   * will; mail scanners fetch links ahead of the reader). Same checks as {@link consumeLink}.
   */
  peekLink(
    tenant: TenantContext,
    purpose: LinkPurpose,
    token: string,
    now?: Date,
  ): Promise<UserRow | undefined>;
  /**
   * Spends the user's live email code when `code` matches (constant-time); a wrong code counts an
   * attempt ({@link CODE_MAX_ATTEMPTS}, then the code is dead). `undefined` for every failure.
   */
  consumeCode(
    tenant: TenantContext,
    email: string,
    code: string,
    now?: Date,
  ): Promise<UserRow | undefined>;
}

/** Issues and spends the one-time links and codes of the mail flows. */
export function createMailTokens(deps: { masterKey: Buffer; sendMail: SendMail }): MailTokens {
  const codes = createOneTimeCodes(deps.masterKey);
  const expiry = (tenant: TenantContext, purpose: LinkPurpose | 'email_otp'): Date =>
    new Date(Date.now() + ttlSecondsOf(tenant, purpose) * 1000);

  const stillOwns = (user: UserRow | undefined, sentTo: string): user is UserRow =>
    user !== undefined &&
    user.status === 'active' &&
    normalizeEmail(user.email) === normalizeEmail(sentTo);

  return {
    async sendLink(tenant, user, purpose, locale, options = {}) {
      const { token, hash } = generateLinkToken();
      const url = new URL(`${tenant.config.issuer}${LINK_PAGES[purpose]}`);
      url.searchParams.set('token', token);
      for (const [name, value] of Object.entries(options.extraQuery ?? {})) {
        url.searchParams.set(name, value);
      }
      await tenant.db.transaction(async (db) => {
        if (options.replaceOthers) await db.oneTimeTokens.revokeAll(user.id, purpose, new Date());
        await db.oneTimeTokens.create({
          userId: user.id,
          purpose,
          secretHash: hash,
          email: user.email,
          maxAttempts: 1,
          expiresAt: expiry(tenant, purpose),
        });
        await deps.sendMail(db, tenant, {
          kind: purpose,
          to: user.email,
          locale,
          variables: { link: url.href },
        });
      });
    },

    async sendCode(tenant, user, locale, kind = 'sign_in') {
      const { purpose, mail } = CODE_KINDS[kind];
      // A user's new code may repeat one of their spent codes (1 in a million per spent row
      // still kept): unique (purpose, hash) refuses it, and a fresh code in a fresh transaction
      // (PostgreSQL aborts the failed one) is drawn.
      for (let attempt = 1; ; attempt++) {
        const { code, hash } = codes.generate(tenant.config.id, user.id);
        try {
          await tenant.db.transaction(async (db) => {
            // One live code per user: asking again replaces it, so attempts never add up.
            await db.oneTimeTokens.revokeAll(user.id, purpose, new Date());
            await db.oneTimeTokens.create({
              userId: user.id,
              purpose,
              secretHash: hash,
              email: user.email,
              maxAttempts: CODE_MAX_ATTEMPTS,
              // Both kinds live as long as the tenant's `email_otp_ttl`.
              expiresAt: expiry(tenant, 'email_otp'),
            });
            await deps.sendMail(db, tenant, {
              kind: mail,
              to: user.email,
              locale,
              variables: { code },
            });
          });
          return;
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt >= 3) throw error;
        }
      }
    },

    sendNothing(tenant, purpose) {
      if (purpose === 'email_otp')
        codes.generate(tenant.config.id, '00000000-0000-0000-0000-000000000000');
      else generateLinkToken();
    },

    async consumeLink(tenant, purpose, token, now = new Date()) {
      const row = await tenant.db.oneTimeTokens.consume(purpose, hashLinkToken(token), now);
      if (!row) return undefined;
      const user = await tenant.db.users.findById(row.userId);
      return stillOwns(user, row.email) ? user : undefined;
    },

    async peekLink(tenant, purpose, token, now = new Date()) {
      const row = await tenant.db.oneTimeTokens.peek(purpose, hashLinkToken(token), now);
      if (!row) return undefined;
      const user = await tenant.db.users.findById(row.userId);
      return stillOwns(user, row.email) ? user : undefined;
    },

    async consumeCode(tenant, email, code, now = new Date()) {
      const tenantId = tenant.config.id;
      const user = await tenant.db.users.findByEmailNormalized(normalizeEmail(email));
      const live = user
        ? await tenant.db.oneTimeTokens.findLive(user.id, 'email_otp', now)
        : undefined;
      if (!user || !live) {
        // The same HMAC as a real check, so an unknown address costs what a wrong code does.
        codes.hash(tenantId, '00000000-0000-0000-0000-000000000000', code);
        return undefined;
      }
      if (!codes.matches(tenantId, user.id, code, live.secretHash)) {
        await tenant.db.oneTimeTokens.recordFailedAttempt(live.id);
        return undefined;
      }
      // consume() is the single-use gate: of two racing right answers, one wins.
      const spent = await tenant.db.oneTimeTokens.consume('email_otp', live.secretHash, now);
      return spent && stillOwns(user, spent.email) ? user : undefined;
    },
  };
}
