import { z } from 'zod';

/**
 * Trimmed and NFKC-normalised before the format check, so full-width and other compatibility
 * forms validate as the address they fold to (the lookup key also lower-cases, see email.ts).
 */
export const Email = z
  .string()
  .trim()
  .normalize('NFKC')
  .pipe(z.email('must be an email address').max(254));
/** Upper bound only; the tenant's password policy decides the real limits. */
export const Password = z.string().min(1).max(1024);

export const SignUpBody = z.strictObject({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(200).optional(),
});

export const SignInBody = z.strictObject({
  email: Email,
  password: Password,
});

export const RefreshBody = z.strictObject({
  refresh_token: z.string().min(1).max(512),
});

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  email_verified: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

export const SignUpResponse = TokenPair.extend({ user: User });

/** Sign-up under enumeration protection: the same answer for a new and a taken email. */
export const SignUpAccepted = z.object({ status: z.literal('accepted') });

/** Optional: with a bearer token the current session ends; else the refresh token's session. */
export const SignOutBody = z
  .strictObject({ refresh_token: z.string().min(1).max(512).optional() })
  .optional();
