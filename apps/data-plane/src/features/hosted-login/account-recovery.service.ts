import type { SessionRow, UserRow } from '@hellojohn/dal';
import type { RequestMeta } from '../../audit/request-meta';
import type { MailTokens } from '../../one-time-tokens';
import type { LinkPurpose } from '../../one-time-tokens/mail-tokens';
import { LinkToken } from '../../one-time-tokens/one-time-token.schemas';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { EmailVerificationService } from '../email-verification';
import type { PasswordResetService } from '../password-reset';
import type { PasswordlessService } from '../passwordless';
import type { HostedLoginService, Interaction, SignedIn } from './hosted-login.service';

/**
 * How a session started by a mailed sign-in link authenticated (RFC 8176): a one-time secret
 * proven by reading the mailbox.
 */
const MAGIC_LINK_AMR: readonly string[] = ['otp'];

/**
 * The hosted pages of the mailed links. Every rule lives in the JSON flows' services (one
 * implementation); this adds what a browser needs: a look at a link without spending it, and a
 * browser session instead of a token pair.
 */
export interface AccountRecoveryService {
  /** Mails a reset link (detached: returns at once, whatever the address). */
  forgot(
    tenant: TenantContext,
    email: string,
    locale: string,
    meta: RequestMeta,
    tx: string | undefined,
  ): void;
  /** The user a live link was mailed to, without spending it; undefined for a bad link. */
  peek(tenant: TenantContext, purpose: LinkPurpose, token: string): Promise<UserRow | undefined>;
  /** `PasswordResetService.reset`: a weak password throws `weak_password`, a bad link `invalid_link_token`. */
  reset(tenant: TenantContext, token: string, password: string, meta: RequestMeta): Promise<void>;
  /** `EmailVerificationService.verify`. */
  verify(tenant: TenantContext, token: string, meta: RequestMeta): Promise<UserRow>;
  /**
   * Spends a sign-in link, then the MFA step (docs/mfa.md): a browser session (`amr`
   * {@link MAGIC_LINK_AMR}), or a second factor to ask for, never the email one.
   */
  signInWithLink(
    tenant: TenantContext,
    token: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
    interaction: Interaction | undefined,
  ): Promise<SignedIn>;
}

export function createAccountRecoveryService(deps: {
  mailTokens: MailTokens;
  passwordReset: PasswordResetService;
  emailVerification: EmailVerificationService;
  passwordless: PasswordlessService;
  hostedLogin: HostedLoginService;
}): AccountRecoveryService {
  return {
    forgot(tenant, email, locale, meta, tx) {
      deps.passwordReset.forgot(tenant, email, locale, meta, tx === undefined ? undefined : { tx });
    },

    async peek(tenant, purpose, token) {
      if (!LinkToken.safeParse(token).success) return undefined;
      return deps.mailTokens.peekLink(tenant, purpose, token);
    },

    reset: (tenant, token, password, meta) =>
      deps.passwordReset.reset(tenant, token, password, meta),

    verify: (tenant, token, meta) => deps.emailVerification.verify(tenant, token, meta),

    async signInWithLink(tenant, token, current, meta, interaction) {
      const user = await deps.passwordless.useMagicLink(tenant, token, 'hosted_login', meta);
      // The link proved the mailbox: the email factor would prove it again.
      return deps.hostedLogin.signedIn(tenant, interaction, user, MAGIC_LINK_AMR, current, meta, {
        method: 'magic_link',
        exclude: ['email_otp'],
      });
    },
  };
}
