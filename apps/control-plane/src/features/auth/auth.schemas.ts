import { safeText } from '@hellojohn/http';
import { REFRESH_TOKEN_PATTERN } from '@hellojohn/tokens';
import { z } from 'zod';

/** No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. */
export const SignInBody = z.strictObject({
  email: safeText(z.email().max(254)),
  password: safeText().min(1).max(256),
});

const RefreshToken = z.string().max(512).regex(REFRESH_TOKEN_PATTERN, 'not a refresh token');

export const RefreshBody = z.strictObject({ refresh_token: RefreshToken });

/** With a bearer access token the body may be left out; else it names the session to end. */
export const SignOutBody = z.strictObject({ refresh_token: RefreshToken.optional() }).optional();

export const AdminToken = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string(),
});

/** A right password of an admin with an authenticator: no tokens yet, a second step. */
const MfaRequired = z.object({
  mfa_required: z.literal(true),
  mfa_token: z.string().describe('Send it to POST /v1/auth/mfa/verify with a code'),
  factors: z.array(z.enum(['totp', 'recovery_code'])),
  expires_in: z.number().int().describe('Seconds the mfa_token stays usable'),
});

export const SignInResponse = z.union([AdminToken, MfaRequired]);

export const MfaVerifyBody = z.strictObject({
  mfa_token: z
    .string()
    .max(64)
    .regex(/^hjmfa_[A-Za-z0-9_-]{43}$/, 'not an mfa_token'),
  code: safeText()
    .min(6)
    .max(32)
    .describe('A 6-digit code from the authenticator, or an unused recovery code'),
});

export const AcceptInvitationBody = z.strictObject({
  token: z
    .string()
    .max(64)
    .regex(/^hjinv_[A-Za-z0-9_-]{43}$/, 'not an invitation token'),
  password: safeText().min(12, 'must be at least 12 characters').max(256),
});

export const TotpEnrolment = z.object({
  secret: z.string().describe('Base32, for typing into an authenticator app'),
  otpauth_uri: z.string().describe('otpauth://totp/... for a QR code'),
});

export const TotpConfirmBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});

export const RecoveryCodes = z.object({
  recovery_codes: z.array(z.string()).describe('Each works once; shown only now'),
});

export const TotpRemoveBody = z.strictObject({
  code: safeText()
    .min(6)
    .max(32)
    .describe('A current code from the authenticator, or an unused recovery code'),
});
