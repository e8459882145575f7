import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { tenantOf } from '../../tenancy/tenant-context';
import { TokenPair } from '../../tokens/token-pair.schemas';
import { CodeSent, MfaChallengeBody, MfaVerifyBody, PasskeyRequestOptions } from './mfa.schemas';
import type { MfaStepService } from './mfa-step.service';
import type { StartMfaSession } from './start-session';

const TAGS = ['auth'];

/** The second step of a sign-in that answered `mfa_required` (docs/mfa.md). */
export function mfaSignInRoutes(step: MfaStepService, startSession: StartMfaSession) {
  return {
    challenge: endpoint(
      {
        summary: 'Ask for a second-factor challenge: mail a code, or get passkey options',
        description:
          '`email_otp` mails a 6-digit code to the user (202); `webauthn` answers the passkey request options (200).',
        tags: TAGS,
        body: MfaChallengeBody,
        responses: { 200: PasskeyRequestOptions, 202: CodeSent },
        errors: ['mfa_token_invalid', 'mfa_factor_not_found', 'rate_limited'],
      },
      async function challengeMfa({ body, reply }, req, res) {
        const tenant = tenantOf(res);
        if (body.factor === 'webauthn') {
          const options = await step.passkeyOptions(tenant, body.mfa_token);
          res.setHeader('Cache-Control', 'no-store');
          return reply(200, { options: { ...options } });
        }
        await step.sendEmailCode(tenant, body.mfa_token, mailLocaleOf(req), requestMetaOf(req));
        return reply(202, { status: 'code_sent' });
      },
    ),
    verify: endpoint(
      {
        summary: 'Complete a sign-in with a second factor',
        description:
          'Answers the same token pair as sign-in; the access token carries `amr` (e.g. `["pwd","otp","mfa"]`) and `acr` `urn:hellojohn:loa:2`. A wrong code spends one of the token’s 5 attempts and counts toward the account lockout.',
        tags: TAGS,
        body: MfaVerifyBody,
        response: TokenPair,
        errors: ['mfa_token_invalid', 'invalid_mfa_code', 'account_locked', 'rate_limited'],
      },
      async function verifyMfa({ body }, req, res) {
        const tenant = tenantOf(res);
        const meta = requestMetaOf(req);
        const passed = await step.verify(tenant, body.mfa_token, body, meta);
        const tokens = await startSession(tenant, passed.user.id, passed.auth, meta);
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
  };
}
