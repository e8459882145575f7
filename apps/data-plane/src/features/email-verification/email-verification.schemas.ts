import { z } from 'zod';
import { LinkToken } from '../../one-time-tokens/one-time-token.schemas';

export const VerifyEmailBody = z.strictObject({ token: LinkToken });

export const EmailVerified = z
  .object({
    email: z.string().describe('The address that was verified'),
    email_verified: z.literal(true),
  })
  .describe('The address is verified');
