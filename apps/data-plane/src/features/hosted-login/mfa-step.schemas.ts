import { z } from 'zod';

const Handle = z.string().max(64).describe('The login transaction handle.');
const CsrfToken = z.string().max(128).describe('Bound to the interaction cookie.');
const Code = (description: string) => z.string().max(64).optional().describe(description);

export const MfaQuery = z.strictObject({
  tx: Handle,
  sent: z.enum(['email']).optional().describe('A code was just mailed: show its form.'),
});

export const MfaEnrolQuery = z.strictObject({
  tx: Handle,
  method: z
    .enum(['email'])
    .optional()
    .describe('`email`: the code mailed to enrol the email factor.'),
});

/** One form per method on the MFA page; each posts its own field. */
export const MfaForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  factor: z.enum(['totp', 'recovery_code', 'email_otp', 'webauthn']),
  totp_code: Code('The authenticator app code (spaces and dashes are ignored).'),
  recovery_code: Code('A recovery code (case, dashes and spaces do not matter).'),
  email_code: Code('The mailed code.'),
  response: z
    .string()
    .max(16384)
    .optional()
    .describe('`webauthn`: the passkey assertion (JSON), posted by the page script.'),
});

export const MfaEnrolForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  factor: z.enum(['totp', 'email_otp']),
  factor_id: z.uuid().optional().describe('`totp`: the authenticator being set up.'),
  totp_code: Code('The authenticator app code.'),
  email_code: Code('The mailed code.'),
});

/** A button-only form: mail a code, or continue after the recovery codes. */
export const MfaTxForm = z.strictObject({ tx: Handle, csrf: CsrfToken });
