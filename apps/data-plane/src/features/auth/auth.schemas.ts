import { z } from 'zod';
import { Email, Password } from '../../credentials/credential.schemas';
import { RefreshToken, TokenPair } from '../../tokens/token-pair.schemas';
import { Name, User } from '../../users/user.schemas';

export const SignUpBody = z.strictObject({
  email: Email,
  password: Password,
  name: Name.optional(),
});

export const SignInBody = z.strictObject({
  email: Email,
  password: Password,
});

export const RefreshBody = z.strictObject({
  refresh_token: RefreshToken,
  organization_id: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .describe(
      "Switches the session's active organization (you must be a member); null leaves it. Omitted: unchanged.",
    ),
});

export const SignUpResponse = TokenPair.extend({ user: User }).describe('The new user, signed in');

/** Sign-up under enumeration protection: the same answer for a new and a taken email. */
export const SignUpAccepted = z
  .object({ status: z.literal('accepted') })
  .describe('Enumeration protection: a new or a taken email alike, no tokens; sign in next');

/** Optional: with a bearer token the current session ends; else the refresh token's session. */
export const SignOutBody = z.strictObject({ refresh_token: RefreshToken.optional() }).optional();
