import { z } from 'zod';

/**
 * A link token as mailed: 32 bytes, base64url (43 characters); some slack for the shape only.
 * The base64url alphabet already excludes what `safeText` guards against.
 */
export const LinkToken = z
  .string()
  // The length lives in the pattern, not in min/max: a generator then makes matching strings
  // of the right length instead of filtering short ones out (the OpenAPI fuzzer).
  .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be a token from a mailed link')
  .describe('The `token` query parameter of the mailed link');

/** A mailed one-time code: six digits (surrounding spaces are forgiven). */
export const OneTimeCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code from the mail')
  .describe('The 6-digit code from the mail');

/** The enumeration-safe answer of every mail-sending route: the same whatever the address. */
export const MailAccepted = z
  .object({ status: z.literal('accepted') })
  .describe(
    'Accepted: a mail goes out if an account exists for the address (nothing says whether)',
  );
