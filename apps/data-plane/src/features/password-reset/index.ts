import type { Logger } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { MailTokens } from '../../one-time-tokens';
import { passwordResetRoutes } from './password-reset.routes';
import { createPasswordResetService, type PasswordResetService } from './password-reset.service';

export type { PasswordResetService } from './password-reset.service';

/** Forgotten password: `POST /v1/auth/password/forgot` and `/password/reset`. */
export interface PasswordResetModule {
  service: PasswordResetService;
  endpoints: ReturnType<typeof passwordResetRoutes>;
}

export function createPasswordResetModule(deps: {
  mailTokens: MailTokens;
  hashers: (cost: number) => PasswordHasher;
  logger: Logger;
}): PasswordResetModule {
  const service = createPasswordResetService(deps);
  return { service, endpoints: passwordResetRoutes(service) };
}
