/**
 * How a session was authenticated (docs/mfa.md): `amr` lists the methods (RFC 8176) and `acr`
 * the assurance level, both stored on the session so refreshes repeat them, and carried in access
 * and ID tokens.
 */
export interface AuthenticationContext {
  amr: readonly string[];
  acr: string | null;
}

/** One factor passed. */
export const ACR_SINGLE_FACTOR = 'urn:hellojohn:loa:1';
/** Two different factors passed (or a user-verified passkey). */
export const ACR_MULTI_FACTOR = 'urn:hellojohn:loa:2';

/** The level the methods reach: multi-factor once `mfa` is among them. */
export function acrOf(amr: readonly string[]): string {
  return amr.includes('mfa') ? ACR_MULTI_FACTOR : ACR_SINGLE_FACTOR;
}

/** Methods in first-seen order, each once. */
export function mergeAmr(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}

/** The context of a single-factor sign-in (`pwd`, `otp`...). */
export function singleFactor(amr: readonly string[]): AuthenticationContext {
  return { amr: [...amr], acr: acrOf(amr) };
}
