import { REFRESH_TOKEN_PATTERN } from '@hellojohn/tokens';
import { z } from 'zod';

/**
 * A refresh token as a request carries it: `hjrt_` and base64url characters only (what
 * `generateRefreshToken` mints), so NUL, lone surrogates and other text never reach the lookup.
 */
export const RefreshToken = z
  .string()
  .max(512)
  .regex(REFRESH_TOKEN_PATTERN, { error: 'must be a refresh token (hjrt_ and base64url)' });

/** What every sign-in answers: a bearer access token and the refresh token of its session. */
export const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
