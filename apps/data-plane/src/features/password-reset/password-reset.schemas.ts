import { z } from 'zod';
import { Email, Password } from '../../credentials/credential.schemas';
import { LinkToken } from '../../one-time-tokens/one-time-token.schemas';

export const ForgotPasswordBody = z.strictObject({ email: Email });

export const ResetPasswordBody = z.strictObject({ token: LinkToken, password: Password });

export const PasswordResetDone = z
  .object({ status: z.literal('password_reset') })
  .describe('The new password is set; every session of the user has ended');
