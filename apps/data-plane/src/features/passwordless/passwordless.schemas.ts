import { z } from 'zod';
import { Email } from '../../credentials/credential.schemas';
import { LinkToken, OneTimeCode } from '../../one-time-tokens/one-time-token.schemas';

export const PasswordlessStartBody = z.strictObject({ email: Email });

export const MagicLinkVerifyBody = z.strictObject({ token: LinkToken });

export const EmailOtpVerifyBody = z.strictObject({ email: Email, code: OneTimeCode });
