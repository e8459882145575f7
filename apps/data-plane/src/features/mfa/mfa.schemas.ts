import { z } from 'zod';
import { Password } from '../../credentials/credential.schemas';
import { TokenPair } from '../../tokens/token-pair.schemas';

/** An mfa_token as issued: `hjmfa_` and 43 base64url characters (some slack for the shape). */
const MfaToken = z
  .string()
  .regex(/^hjmfa_[A-Za-z0-9_-]{16,256}$/, 'must be the mfa_token of a sign-in')
  .describe('The `mfa_token` a first factor answered');

/** A code: six digits (TOTP, email) or a recovery code (xxxx-xxxx-xxxx, any case). */
const MfaCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 -]{6,32}$/, 'must be a 6-digit code or a recovery code')
  .describe('A 6-digit code, or a recovery code (dashes and case do not matter)');

const FactorId = z.uuid().describe('A factor id from `GET /v1/mfa/factors`');

/** Proof of recent authentication: the password or a current code (one is required). */
const proof = {
  password: Password.optional().describe('The current password'),
  code: MfaCode.optional().describe('A current TOTP code or an unused recovery code'),
};

const hasProof = (body: { password?: string | undefined; code?: string | undefined }) =>
  body.password !== undefined || body.code !== undefined;

export const ProofBody = z
  .strictObject(proof)
  .refine(hasProof, { error: 'give password or code', path: ['password'] });

const enrolment = {
  mfa_token: MfaToken.optional().describe(
    'Instead of a bearer token: the enrolment-only mfa_token of a sign-in under `mfa: required` by a user with no factor',
  ),
};

export const EnrolTotpBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional().describe('Shown in the factor list'),
    ...proof,
    ...enrolment,
  })
  .optional();

export const TotpEnrolment = z.object({
  factor_id: z.uuid(),
  secret: z.string().describe('Base32, for typing into an authenticator app'),
  otpauth_uri: z.string().describe('otpauth://totp/... for a QR code'),
  qr_svg: z.string().describe('The otpauth URI as an SVG QR code'),
});

export const ConfirmTotpBody = z.strictObject({
  factor_id: FactorId,
  code: MfaCode,
  ...enrolment,
});

export const EnrolEmailBody = z.strictObject({ ...proof, ...enrolment }).optional();

export const EmailEnrolment = z
  .object({ factor_id: z.uuid(), status: z.literal('code_sent') })
  .describe('A 6-digit code went to the verified address; confirm it');

export const ConfirmEmailBody = z.strictObject({ code: MfaCode, ...enrolment });

export const EnrolmentConfirmed = z
  .object({
    recovery_codes: z
      .array(z.string())
      .optional()
      .describe("Present on the user's first factor: 10 single-use codes, shown this once"),
    ...TokenPair.partial().shape,
  })
  .describe('Confirmed; with an mfa_token the sign-in completes here (the token pair is present)');

const Factor = z.object({
  id: z.uuid(),
  type: z.enum(['totp', 'email_otp', 'webauthn']),
  name: z.string().nullable(),
  confirmed: z.boolean(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

export const FactorList = z.object({
  factors: z.array(Factor),
  recovery_codes_remaining: z.number().int(),
});

export const AdminFactorList = FactorList.extend({ user_id: z.string() });

export const FactorParams = z.object({ id: FactorId });

export const RecoveryCodeSet = z.object({
  recovery_codes: z.array(z.string()).describe('10 fresh single-use codes; the old set is dead'),
});

const SecondFactor = z.enum(['totp', 'recovery_code', 'email_otp', 'webauthn']);

export const MfaVerifyBody = z
  .strictObject({
    mfa_token: MfaToken,
    factor: SecondFactor,
    code: MfaCode.optional().describe('For totp, recovery_code and email_otp'),
    response: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('For webauthn: the authenticator assertion (PublicKeyCredential JSON)'),
  })
  .superRefine((body, ctx) => {
    if (body.factor === 'webauthn' && body.response === undefined) {
      ctx.addIssue({ code: 'custom', path: ['response'], message: 'required for webauthn' });
    }
    if (body.factor !== 'webauthn' && body.code === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: `required for ${body.factor}` });
    }
  });

export const MfaChallengeBody = z.strictObject({
  mfa_token: MfaToken,
  factor: z.enum(['email_otp', 'webauthn']),
});

export const CodeSent = z.object({ status: z.literal('code_sent') });

export const PasskeyRequestOptions = z.object({
  options: z
    .record(z.string(), z.unknown())
    .describe('PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get()'),
});

/** The answer of a first factor that needs a second: no tokens yet. */
const MfaRequired = z
  .object({
    mfa_required: z.literal(true),
    mfa_token: z.string().describe('Opaque, single use, 5 minutes'),
    factors: z.array(
      z.object({
        id: z.string().nullable(),
        type: SecondFactor,
        name: z.string().nullable(),
      }),
    ),
    expires_in: z.number().int(),
    enrolment_required: z
      .literal(true)
      .optional()
      .describe('The tenant requires MFA and the user has none: enrol with this mfa_token'),
  })
  .describe('A second factor is needed: POST /v1/auth/mfa/verify');

/** What a sign-in answers: tokens, or the MFA step. */
export const SignInResult = z.union([TokenPair, MfaRequired]);
