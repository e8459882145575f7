import type { PasswordHasher } from '@hellojohn/tokens';
import type { SignInGuard } from '../../abuse/sign-in-guard';
import type { SessionTokens } from '../../tokens/session-tokens';
import { authRoutes } from './auth.routes';
import { createAuthService, type AuthService } from './auth.service';

/** Sign-up, sign-in, refresh, sign-out. */
export interface AuthModule {
  service: AuthService;
  endpoints: ReturnType<typeof authRoutes>;
}

export function createAuthModule(deps: {
  /** The hasher for a bcrypt cost (the tenant's `bcryptCost`). */
  hashers: (cost: number) => PasswordHasher;
  tokens: SessionTokens;
  masterKey: Buffer;
  /** Lockout; none by default. */
  signInGuard?: SignInGuard | undefined;
  /** The MFA step after the password; none: single-factor sign-in. */
  mfa?: Parameters<typeof createAuthService>[0]['mfa'];
  /** Mails the verification link of a new account (`require_email_verification`). */
  sendVerification?: Parameters<typeof createAuthService>[0]['sendVerification'];
}): AuthModule {
  const service = createAuthService(deps);
  return { service, endpoints: authRoutes(service) };
}
