import { normalizeEmail, type AdminRow, type AdminRepository } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import { noAdminSignInGuard, type AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import type { AdminTokens } from './admin-tokens';

export interface AuthService {
  /**
   * Checks an admin's password and issues a CP admin token. The sign-in guard may refuse the
   * attempt first (429 `rate_limited`); `ip` is the client address it counts per.
   */
  signIn(
    email: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; expiresIn: number }>;
  /** The admin a CP admin token names; 401 `invalid_token` if it is bad or the admin is gone. */
  authenticate(token: string): Promise<AdminRow>;
}

export function createAuthService(deps: {
  admins: AdminRepository;
  hasher: PasswordHasher;
  tokens: AdminTokens;
  /** Per-account sign-in limits (issue 15); none by default. */
  signInGuard?: AdminSignInGuard | undefined;
}): AuthService {
  const { admins, hasher, tokens } = deps;
  const guard = deps.signInGuard ?? noAdminSignInGuard;
  return {
    async signIn(email, password, ip) {
      const emailKey = normalizeEmail(email);
      await guard.beforeAttempt(emailKey, ip);
      const admin = await admins.findByEmail(emailKey);
      // Always one bcrypt comparison (a dummy hash for an unknown email): same time, same answer.
      const ok = await hasher.verify(password, admin?.passwordHash);
      if (!admin || !ok) {
        await guard.onFailure(emailKey, ip);
        throw new AppError('invalid_credentials');
      }
      await guard.onSuccess(emailKey, ip);
      return tokens.issue(admin);
    },

    async authenticate(token) {
      let subject: string;
      try {
        subject = (await tokens.verify(token)).sub;
      } catch (error) {
        throw new AppError('invalid_token', 'The access token is invalid or expired.', {
          cause: error,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
      // Looked up on every request so a deleted admin's tokens stop working at once.
      const admin = await admins.findById(subject);
      if (!admin) throw new AppError('invalid_token', 'The admin no longer exists.');
      return admin;
    },
  };
}
