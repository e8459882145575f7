import type { Logger } from '@hellojohn/http';
import type { MailTokens } from '../../one-time-tokens';
import type { SessionTokens } from '../../tokens/session-tokens';
import { passwordlessRoutes } from './passwordless.routes';
import { createPasswordlessService, type PasswordlessService } from './passwordless.service';

export type { PasswordlessService } from './passwordless.service';

/** Sign-in by mail: `POST /v1/auth/magic-link(/verify)` and `/v1/auth/email-otp(/verify)`. */
export interface PasswordlessModule {
  service: PasswordlessService;
  endpoints: ReturnType<typeof passwordlessRoutes>;
}

export function createPasswordlessModule(deps: {
  mailTokens: MailTokens;
  tokens: SessionTokens;
  logger: Logger;
  /** The MFA step after the mailed link or code. */
  mfa?: Parameters<typeof createPasswordlessService>[0]['mfa'];
}): PasswordlessModule {
  const service = createPasswordlessService(deps);
  return { service, endpoints: passwordlessRoutes(service) };
}
