import { normalizeEmail, type AdminRow, type AdminRepository } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { AdminTokens } from './admin-tokens';

export interface AuthService {
  /** Checks an admin's password and issues a CP admin token. */
  signIn(email: string, password: string): Promise<{ token: string; expiresIn: number }>;
  /** The admin a CP admin token names; 401 `invalid_token` if it is bad or the admin is gone. */
  authenticate(token: string): Promise<AdminRow>;
}

export function createAuthService(deps: {
  admins: AdminRepository;
  hasher: PasswordHasher;
  tokens: AdminTokens;
}): AuthService {
  const { admins, hasher, tokens } = deps;
  return {
    async signIn(email, password) {
      const admin = await admins.findByEmail(normalizeEmail(email));
      const ok = await hasher.verify(password, admin?.passwordHash);
      if (!admin || !ok) throw new AppError('invalid_credentials');
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
