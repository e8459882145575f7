import { z } from 'zod';

export const SignInBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
});

export const AdminToken = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
