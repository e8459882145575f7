import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { claimsOf } from '../../guards/require-user';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { spendMailed } from '../../one-time-tokens';
import { MailAccepted } from '../../one-time-tokens/one-time-token.schemas';
import { tenantOf } from '../../tenancy/tenant-context';
import { EmailVerified, VerifyEmailBody } from './email-verification.schemas';
import type { EmailVerificationService } from './email-verification.service';

const TAGS = ['auth'];

/** Email verification: a mailed link proves the address; limits are in routes/index.ts. */
export function emailVerificationRoutes(service: EmailVerificationService) {
  return {
    send: endpoint(
      {
        summary: "Mail a verification link to the signed-in user's address",
        description:
          'The link opens `/t/{tenant}/login/verify-email?token=...`; its lifetime is the tenant setting `mail_tokens.verify_email_ttl` (default 24 hours). Nothing is sent when the address is already verified. The mail is in the `Accept-Language` language (`en` or `es`).',
        tags: TAGS,
        response: MailAccepted,
        status: 202,
        errors: ['unauthenticated', 'rate_limited'],
      },
      async function sendVerification(_input, req, res) {
        const meta = requestMetaOf(req);
        await service.send(tenantOf(res), claimsOf(res).sub, mailLocaleOf(req), meta);
        return { status: 'accepted' as const };
      },
    ),
    verify: endpoint(
      {
        summary: 'Verify an email address with a mailed link',
        description:
          'The link is spent. It verifies only the address it was sent to: after an email change, it answers `invalid_link_token`.',
        tags: TAGS,
        body: VerifyEmailBody,
        response: EmailVerified,
        errors: ['invalid_link_token', 'rate_limited'],
      },
      async function verifyEmail({ body }, req, res) {
        const user = await spendMailed(req, res, (tenant, meta) =>
          service.verify(tenant, body.token, meta),
        );
        return { email: user.email, email_verified: true as const };
      },
    ),
  };
}
