import type { MailTokens } from '../../one-time-tokens';
import { emailVerificationRoutes } from './email-verification.routes';
import {
  createEmailVerificationService,
  type EmailVerificationService,
} from './email-verification.service';

export type { EmailVerificationService } from './email-verification.service';

/** Email verification: `POST /v1/auth/email/verify/send` and `/email/verify`. */
export interface EmailVerificationModule {
  service: EmailVerificationService;
  endpoints: ReturnType<typeof emailVerificationRoutes>;
}

export function createEmailVerificationModule(deps: {
  mailTokens: MailTokens;
}): EmailVerificationModule {
  const service = createEmailVerificationService(deps);
  return { service, endpoints: emailVerificationRoutes(service) };
}
