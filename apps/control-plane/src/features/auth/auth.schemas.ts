import { safeText } from '@hellojohn/http';
import { REFRESH_TOKEN_PATTERN } from '@hellojohn/tokens';
import { z } from 'zod';

/** No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. */
export const SignInBody = z.strictObject({
  email: safeText(z.email().max(254)),
  password: safeText().min(1).max(256),
});

const RefreshToken = z.string().max(512).regex(REFRESH_TOKEN_PATTERN, 'not a refresh token');

export const RefreshBody = z.strictObject({ refresh_token: RefreshToken });

/** With a bearer access token the body may be left out; else it names the session to end. */
export const SignOutBody = z.strictObject({ refresh_token: RefreshToken.optional() }).optional();

export const AdminToken = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string(),
});
