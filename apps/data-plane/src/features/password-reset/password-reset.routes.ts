import { endpoint } from '@hellojohn/http';
import { acceptMail, spendMailed } from '../../one-time-tokens';
import { MailAccepted } from '../../one-time-tokens/one-time-token.schemas';
import { ForgotPasswordBody, PasswordResetDone, ResetPasswordBody } from './password-reset.schemas';
import type { PasswordResetService } from './password-reset.service';

const TAGS = ['auth'];

/** Forgotten password: a mailed link, then a new password; limits are in routes/index.ts. */
export function passwordResetRoutes(service: PasswordResetService) {
  return {
    forgot: endpoint(
      {
        summary: 'Mail a password reset link',
        description:
          'Always `202`, whether or not an account exists for the address (the lookup runs after the answer). The link opens `/t/{tenant}/login/reset?token=...`; its lifetime is the tenant setting `mail_tokens.password_reset_ttl` (default 30 minutes). The mail is in the `Accept-Language` language (`en` or `es`).',
        tags: TAGS,
        body: ForgotPasswordBody,
        response: MailAccepted,
        status: 202,
        errors: ['rate_limited'],
      },
      async function forgotPassword({ body }, req, res) {
        return acceptMail(req, res, (tenant, locale, meta) => {
          service.forgot(tenant, body.email, locale, meta);
        });
      },
    ),
    reset: endpoint(
      {
        summary: 'Set a new password with a reset link',
        description:
          'The link is spent, every other reset link and sign-in link or code of the user dies, and every session of the user ends (sign in again). A weak password answers `422` and leaves the link usable.',
        tags: TAGS,
        body: ResetPasswordBody,
        response: PasswordResetDone,
        errors: ['invalid_link_token', 'weak_password', 'rate_limited'],
      },
      async function resetPassword({ body }, req, res) {
        await spendMailed(req, res, (tenant, meta) =>
          service.reset(tenant, body.token, body.password, meta),
        );
        return { status: 'password_reset' as const };
      },
    ),
  };
}
