import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { MailAccepted } from '../../one-time-tokens/one-time-token.schemas';
import { tenantOf } from '../../tenancy/tenant-context';
import { TokenPair } from '../../tokens/token-pair.schemas';
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
          'Always `202`, whether or not an account exists for the address (the lookup runs after the answer). The link opens `/t/{tenant}/login/magic?token=...`; its lifetime is the tenant setting `mail_tokens.magic_link_ttl` (default 15 minutes). The mail is in the `Accept-Language` language (`en` or `es`).',
        tags: TAGS,
        body: PasswordlessStartBody,
        response: MailAccepted,
        status: 202,
        errors: ['rate_limited'],
      },
      async function sendMagicLink({ body }, req, res) {
        service.sendMagicLink(tenantOf(res), body.email, mailLocaleOf(req), requestMetaOf(req));
        return { status: 'accepted' as const };
      },
    ),
    magicLinkVerify: endpoint(
      {
        summary: 'Sign in with a mailed sign-in link',
        description:
          'The link is spent and the address counts as verified. An invalid, expired or spent link, and the link of a disabled account, all answer `invalid_link_token`.',
        tags: TAGS,
        body: MagicLinkVerifyBody,
        response: TokenPair,
        errors: ['invalid_link_token', 'rate_limited'],
      },
      async function verifyMagicLink({ body }, req, res) {
        const tenant = tenantOf(res);
        const meta = requestMetaOf(req);
        const user = await service.useMagicLink(tenant, body.token, 'api', meta);
        const tokens = await service.startSession(tenant, user, meta);
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
    emailOtp: endpoint(
      {
        summary: 'Mail a 6-digit sign-in code',
        description:
          'Always `202`, whether or not an account exists for the address. A new code replaces the previous one; it lives `mail_tokens.email_otp_ttl` (default 10 minutes) and dies after 5 wrong tries.',
        tags: TAGS,
        body: PasswordlessStartBody,
        response: MailAccepted,
        status: 202,
        errors: ['rate_limited'],
      },
      async function sendEmailOtp({ body }, req, res) {
        service.sendCode(tenantOf(res), body.email, mailLocaleOf(req), requestMetaOf(req));
        return { status: 'accepted' as const };
      },
    ),
    emailOtpVerify: endpoint(
      {
        summary: 'Sign in with a mailed 6-digit code',
        description:
          'An unknown address, a wrong, expired or spent code all answer `invalid_one_time_code`; a wrong code counts one of its 5 tries. The address counts as verified afterwards.',
        tags: TAGS,
        body: EmailOtpVerifyBody,
        response: TokenPair,
        errors: ['invalid_one_time_code', 'rate_limited'],
      },
      async function verifyEmailOtp({ body }, req, res) {
        const tenant = tenantOf(res);
        const meta = requestMetaOf(req);
        const user = await service.useCode(tenant, body.email, body.code, meta);
        const tokens = await service.startSession(tenant, user, meta);
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
  };
}
