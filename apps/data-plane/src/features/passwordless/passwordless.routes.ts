import { endpoint } from '@hellojohn/http';
import { acceptMail, spendMailed } from '../../one-time-tokens';
import { MailAccepted } from '../../one-time-tokens/one-time-token.schemas';
import { SignInResult } from '../mfa';
import {
  EmailOtpVerifyBody,
  MagicLinkVerifyBody,
  PasswordlessStartBody,
} from './passwordless.schemas';
import type { PasswordlessService } from './passwordless.service';

const TAGS = ['auth'];

/** Sign-in without a password: a mailed link or 6-digit code; limits are in routes/index.ts. */
export function passwordlessRoutes(service: PasswordlessService) {
  return {
    magicLink: endpoint(
      {
        summary: 'Mail a sign-in link',
        description:
          'Always `202`, whether or not an account exists for the address (the lookup runs after the answer); `403 feature_disabled` when the tenant turned sign-in by link off (settings `passwordless.magic_link`). The link opens `/t/{tenant}/login/magic?token=...`; its lifetime is the tenant setting `mail_tokens.magic_link_ttl` (default 15 minutes). The mail is in the `Accept-Language` language (`en` or `es`).',
        tags: TAGS,
        body: PasswordlessStartBody,
        response: MailAccepted,
        status: 202,
        errors: ['rate_limited', 'feature_disabled'],
      },
      async function sendMagicLink({ body }, req, res) {
        return acceptMail(req, res, (tenant, locale, meta) => {
          service.sendMagicLink(tenant, body.email, locale, meta);
        });
      },
    ),
    magicLinkVerify: endpoint(
      {
        summary: 'Sign in with a mailed sign-in link',
        description:
          'The link is spent and the address counts as verified. A user with a second factor (other than email) gets `mfa_required` instead of tokens (docs/mfa.md). An invalid, expired or spent link, and the link of a disabled account, all answer `invalid_link_token`.',
        tags: TAGS,
        body: MagicLinkVerifyBody,
        response: SignInResult,
        errors: ['invalid_link_token', 'rate_limited', 'feature_disabled'],
      },
      async function verifyMagicLink({ body }, req, res) {
        return spendMailed(req, res, async (tenant, meta) =>
          service.startSession(
            tenant,
            await service.useMagicLink(tenant, body.token, 'api', meta),
            meta,
          ),
        );
      },
    ),
    emailOtp: endpoint(
      {
        summary: 'Mail a 6-digit sign-in code',
        description:
          'Always `202`, whether or not an account exists for the address; `403 feature_disabled` when the tenant turned sign-in by code off (settings `passwordless.email_otp`). A new code replaces the previous one; it lives `mail_tokens.email_otp_ttl` (default 10 minutes) and dies after 5 wrong tries.',
        tags: TAGS,
        body: PasswordlessStartBody,
        response: MailAccepted,
        status: 202,
        errors: ['rate_limited', 'feature_disabled'],
      },
      async function sendEmailOtp({ body }, req, res) {
        return acceptMail(req, res, (tenant, locale, meta) => {
          service.sendCode(tenant, body.email, locale, meta);
        });
      },
    ),
    emailOtpVerify: endpoint(
      {
        summary: 'Sign in with a mailed 6-digit code',
        description:
          'An unknown address, a wrong, expired or spent code all answer `invalid_one_time_code`; a wrong code counts one of its 5 tries. The address counts as verified afterwards. A user with a second factor (other than email) gets `mfa_required` instead of tokens (docs/mfa.md).',
        tags: TAGS,
        body: EmailOtpVerifyBody,
        response: SignInResult,
        errors: ['invalid_one_time_code', 'rate_limited', 'feature_disabled'],
      },
      async function verifyEmailOtp({ body }, req, res) {
        return spendMailed(req, res, async (tenant, meta) =>
          service.startSession(
            tenant,
            await service.useCode(tenant, body.email, body.code, meta),
            meta,
          ),
        );
      },
    ),
  };
}
