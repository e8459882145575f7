import { randomBytes, randomUUID } from 'node:crypto';
import type { AdminRow, GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { AdminTokens } from './admin-tokens';
import type { PasswordHasher } from '@hellojohn/tokens';

export interface AdminService {
  /** Creates the first owner when there is no admin; returns a generated password to print once. */
  bootstrap(email: string | undefined, password: string | undefined): Promise<BootstrapResult>;
  signIn(email: string, password: string): Promise<{ token: string; expiresIn: number }>;
  authenticate(token: string): Promise<AdminRow>;
}

export type BootstrapResult =
  { created: false } | { created: true; email: string; generatedPassword: string | undefined };

export function createAdminService(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  tokens: AdminTokens;
}): AdminService {
  const { db, hasher, tokens } = deps;
  return {
    async bootstrap(email, password) {
      if ((await db.admins.count()) > 0) return { created: false };
      const generatedPassword = password ? undefined : randomBytes(18).toString('base64url');
      const adminEmail = (email ?? 'admin@hellojohn.local').toLowerCase();
      await db.admins.create({
        id: randomUUID(),
        email: adminEmail,
        passwordHash: await hasher.hash(password ?? generatedPassword ?? ''),
        role: 'owner',
      });
      return { created: true, email: adminEmail, generatedPassword };
    },
    async signIn(email, password) {
      const admin = await db.admins.findByEmail(email.trim().toLowerCase());
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
      const admin = await db.admins.findById(subject);
      if (!admin) throw new AppError('invalid_token', 'The admin no longer exists.');
      return admin;
    },
  };
}
