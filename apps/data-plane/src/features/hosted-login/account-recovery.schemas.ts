import { z } from 'zod';

const Tx = z
  .string()
  .max(64)
  .optional()
  .describe('The authorization transaction to continue afterwards (from the sign-in page).');
const CsrfToken = z.string().max(128).describe('Bound to the interaction cookie.');
/**
 * The mailed token, loosely: a malformed one gets the "link not valid" page rather than a 400,
 * since a person followed it from a mail (the service checks the shape).
 */
const Token = z.string().max(512).describe('The `token` query parameter of the mailed link.');

export const ForgotQuery = z.strictObject({ tx: Tx });

export const ForgotForm = z.strictObject({
  csrf: CsrfToken,
  tx: Tx,
  email: z.string().max(320).optional(),
});

/** A mailed link as opened: mail clients and trackers may add their own parameters. */
export const MailedLinkQuery = z.object({ token: Token, tx: Tx });

export const ResetForm = z.strictObject({
  csrf: CsrfToken,
  tx: Tx,
  token: Token,
  /** The read-only username field, posted along for password managers; ignored. */
  username: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
});

export const MailedLinkForm = z.strictObject({ csrf: CsrfToken, tx: Tx, token: Token });
