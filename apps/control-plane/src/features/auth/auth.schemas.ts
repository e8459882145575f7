import { safeText } from '@hellojohn/http';
import { z } from 'zod';

/** No NUL, no lone surrogate (`safeText`): two passwords must never hash as one. */
export const SignInBody = z.strictObject({
  email: safeText(z.email().max(254)),
  password: safeText().min(1).max(256),
});

export const AdminToken = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
