import type { UserRow } from '@hellojohn/dal';
import { AppError, endpoint } from '@hellojohn/http';
import type { Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { claimsOf } from '../../guards/require-user';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import { enrollerOf } from './enroller';
import {
  ConfirmEmailBody,
  ConfirmTotpBody,
  EmailEnrolment,
  EnrolEmailBody,
  EnrolmentConfirmed,
  EnrolTotpBody,
  FactorList,
  FactorParams,
  ProofBody,
  RecoveryCodeSet,
  TotpEnrolment,
} from './mfa.schemas';
import type { EnrolmentDone, MfaService } from './mfa.service';
import type { MfaStepService } from './mfa-step.service';

const TAGS = ['mfa'];

const ENROLMENT_NOTE =
  ' With a bearer token, a user who already has a confirmed factor must also send `password` or a current `code`. Under `mfa: required`, a user signing in without any factor sends the enrolment-only `mfa_token` instead of a bearer token.';

async function signedInUser(res: Response): Promise<{ tenant: TenantContext; user: UserRow }> {
  const tenant = tenantOf(res);
  const user = await tenant.db.users.findById(claimsOf(res).sub);
  if (!user) throw new AppError('invalid_token', 'The user no longer exists.');
  return { tenant, user };
}

const confirmed = (done: EnrolmentDone) => ({
  ...(done.recoveryCodes ? { recovery_codes: done.recoveryCodes } : {}),
  ...done.tokens,
});

/** The user's own second factors: enrolment and management (docs/mfa.md). */
export function mfaRoutes(service: MfaService, step: MfaStepService) {
  return {
    listFactors: endpoint(
      {
        summary: "List the signed-in user's second factors",
        description:
          'Confirmed factors, and enrolments started in the last 10 minutes (`confirmed: false`), with the number of unused recovery codes.',
        tags: TAGS,
        response: FactorList,
      },
      async function listMfaFactors(_input, _req, res) {
        const tenant = tenantOf(res);
        return service.list(tenant, claimsOf(res).sub);
      },
    ),
    removeFactor: endpoint(
      {
        summary: 'Remove a second factor (re-authentication required)',
        description:
          'The body carries `password` or a current `code` (TOTP or recovery code), re-checked here: a bearer token alone is not enough. Removing the last factor also deletes the recovery codes.',
        tags: TAGS,
        params: FactorParams,
        body: ProofBody,
        status: 204,
        errors: [
          'invalid_credentials',
          'invalid_mfa_code',
          'mfa_factor_not_found',
          'account_locked',
        ],
      },
      async function removeMfaFactor({ params, body }, req, res) {
        const { tenant, user } = await signedInUser(res);
        await service.remove(tenant, user, params.id, body, requestMetaOf(req));
      },
    ),
    regenerateRecoveryCodes: endpoint(
      {
        summary: 'Replace the recovery codes with a fresh set (re-authentication required)',
        description:
          'The old codes die at once. Like removing a factor, it needs `password` or a current `code` in the body.',
        tags: TAGS,
        body: ProofBody,
        response: RecoveryCodeSet,
        errors: [
          'invalid_credentials',
          'invalid_mfa_code',
          'mfa_factor_not_found',
          'account_locked',
        ],
      },
      async function regenerateRecoveryCodes({ body }, req, res) {
        const { tenant, user } = await signedInUser(res);
        const codes = await service.regenerateRecoveryCodes(tenant, user, body, requestMetaOf(req));
        res.setHeader('Cache-Control', 'no-store');
        return { recovery_codes: codes };
      },
    ),
    enrolTotp: endpoint(
      {
        summary: 'Start enrolling an authenticator app (TOTP)',
        description: `Answers the secret, its \`otpauth://\` URI and a QR code (SVG); confirm with a code within 10 minutes. A new enrolment replaces an unconfirmed one.${ENROLMENT_NOTE}`,
        tags: TAGS,
        body: EnrolTotpBody,
        response: TotpEnrolment,
        status: 201,
        errors: ['unauthenticated', 'mfa_token_invalid', 'mfa_disabled', 'invalid_credentials'],
      },
      async function enrolTotp({ body }, req, res) {
        const { tenant, enroller } = await enrollerOf(step, res, body?.mfa_token);
        const result = await service.enrolTotp(tenant, enroller, body ?? {}, requestMetaOf(req));
        res.setHeader('Cache-Control', 'no-store');
        return result;
      },
    ),
    confirmTotp: endpoint(
      {
        summary: 'Confirm an authenticator app with a code from it',
        description:
          "Answers the 10 recovery codes when this is the user's first factor (else `{}`). With an enrolment `mfa_token`, the sign-in completes: the token pair is in the answer.",
        tags: TAGS,
        body: ConfirmTotpBody,
        response: EnrolmentConfirmed,
        errors: ['invalid_mfa_code', 'mfa_factor_not_found', 'mfa_token_invalid', 'account_locked'],
      },
      async function confirmTotp({ body }, req, res) {
        const { tenant, enroller } = await enrollerOf(step, res, body.mfa_token);
        const done = await service.confirmTotp(
          tenant,
          enroller,
          body.factor_id,
          body.code,
          requestMetaOf(req),
        );
        res.setHeader('Cache-Control', 'no-store');
        return confirmed(done);
      },
    ),
    enrolEmail: endpoint(
      {
        summary: 'Start enrolling the email factor (a code is mailed)',
        description: `The user's address must be verified. A 6-digit code goes to it; confirm it with \`POST /v1/mfa/email/confirm\`.${ENROLMENT_NOTE}`,
        tags: TAGS,
        body: EnrolEmailBody,
        response: EmailEnrolment,
        status: 202,
        errors: [
          'unauthenticated',
          'mfa_token_invalid',
          'mfa_disabled',
          'email_not_verified',
          'mfa_factor_exists',
          'invalid_credentials',
        ],
      },
      async function enrolEmailFactor({ body }, req, res) {
        const { tenant, enroller } = await enrollerOf(step, res, body?.mfa_token);
        const { factor_id } = await service.enrolEmail(
          tenant,
          enroller,
          body ?? {},
          mailLocaleOf(req),
          requestMetaOf(req),
        );
        return { factor_id, status: 'code_sent' as const };
      },
    ),
    confirmEmail: endpoint(
      {
        summary: 'Confirm the email factor with the mailed code',
        description:
          "As for TOTP: recovery codes on the user's first factor; tokens with an enrolment `mfa_token`.",
        tags: TAGS,
        body: ConfirmEmailBody,
        response: EnrolmentConfirmed,
        errors: ['invalid_mfa_code', 'mfa_factor_not_found', 'mfa_token_invalid', 'account_locked'],
      },
      async function confirmEmailFactor({ body }, req, res) {
        const { tenant, enroller } = await enrollerOf(step, res, body.mfa_token);
        const done = await service.confirmEmail(tenant, enroller, body.code, requestMetaOf(req));
        res.setHeader('Cache-Control', 'no-store');
        return confirmed(done);
      },
    ),
  };
}
