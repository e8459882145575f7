import { z } from 'zod';

/** What every sign-in answers: a bearer access token and the refresh token of its session. */
export const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
