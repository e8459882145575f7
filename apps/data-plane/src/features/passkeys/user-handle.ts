const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The WebAuthn user handle of a user: the 16 bytes of their UUID. Stable and opaque (no email,
 * which may change and must not sit in authenticators), and what a discoverable credential
 * hands back as `userHandle` at sign-in.
 */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  const bytes = UUID.test(userId)
    ? Buffer.from(userId.replace(/-/g, ''), 'hex')
    : Buffer.from(userId, 'utf8');
  return Uint8Array.from(bytes);
}

/** The handle as base64url, the form `response.userHandle` takes. */
export function encodedUserHandleOf(userId: string): string {
  return Buffer.from(userHandleOf(userId)).toString('base64url');
}

/** Credential ids compared as browsers send them: base64url without padding. */
export function normalizeCredentialId(id: string): string {
  return id.replace(/=+$/, '');
}
