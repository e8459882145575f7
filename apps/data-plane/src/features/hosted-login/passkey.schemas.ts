import { z } from 'zod';

const Handle = z.string().max(64).describe('The login transaction handle.');
const CsrfToken = z.string().max(128).describe('Bound to the interaction cookie.');

/** What the passkey script posts for options: the page's form fields. */
export const PasskeyOptionsForm = z.strictObject({ tx: Handle, csrf: CsrfToken });

/**
 * A ceremony's answer as the script posts it: `PublicKeyCredential.toJSON()` as a JSON string in
 * a form field (the form is a plain POST, so the browser follows the 303 that answers it).
 */
const CredentialJson = z
  .string()
  .max(100_000)
  .describe('The credential JSON of `startAuthentication()` / `startRegistration()`.');

export const PasskeySignInForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  response: CredentialJson,
});

/** The offer page: with `response`, register the passkey; without, "Not now" / "Continue". */
export const PasskeyEnrolForm = z.strictObject({
  tx: Handle,
  csrf: CsrfToken,
  response: CredentialJson.optional(),
});

/** The MFA page's passkey options: its form's fields (the MFA step's own fields pass through). */
export const PasskeyFactorOptionsForm = z.looseObject({ tx: Handle, csrf: CsrfToken });
