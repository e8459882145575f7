import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail, type AdminRow, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { z } from 'zod';
import { fetchPage } from '../../shared/fetch-page';
import type { Admin, CreateAdminBody } from './admins.schemas';

type AdminView = z.input<typeof Admin>;

export type BootstrapResult =
  { created: false } | { created: true; email: string; generatedPassword: string | undefined };

export interface AdminService {
  /** Creates the first owner when there is no admin; returns a generated password to print once. */
  bootstrap(email: string | undefined, password: string | undefined): Promise<BootstrapResult>;
  list(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ data: AdminView[]; next_cursor: string | null }>;
  create(input: z.output<typeof CreateAdminBody>): Promise<AdminView>;
  remove(id: string): Promise<void>;
}

function toAdminView(admin: AdminRow): AdminView {
  return {
    id: admin.id,
    email: admin.email,
    role: admin.role,
    created_at: admin.createdAt.toISOString(),
  };
}

export function createAdminService(deps: { db: GlobalDb; hasher: PasswordHasher }): AdminService {
  const { db, hasher } = deps;
  return {
    async bootstrap(email, password) {
      if ((await db.admins.count()) > 0) return { created: false };
      const generatedPassword = password ? undefined : randomBytes(18).toString('base64url');
      const adminEmail = normalizeEmail(email ?? 'admin@hellojohn.local');
      try {
        await db.admins.create({
          id: randomUUID(),
          email: adminEmail,
          passwordHash: await hasher.hash(password ?? generatedPassword ?? ''),
          role: 'owner',
        });
      } catch (error) {
        // Another replica bootstrapped at the same moment: that one's admin stands.
        if (error instanceof ConflictError) return { created: false };
        throw error;
      }
      return { created: true, email: adminEmail, generatedPassword };
    },

    async list(page) {
      const result = await fetchPage(() => db.admins.list(page));
      return { data: result.rows.map(toAdminView), next_cursor: result.nextCursor };
    },

    async create(input) {
      try {
        const admin = await db.admins.create({
          id: randomUUID(),
          email: normalizeEmail(input.email),
          passwordHash: await hasher.hash(input.password),
          role: input.role,
        });
        return toAdminView(admin);
      } catch (error) {
        if (error instanceof ConflictError) throw new AppError('admin_email_taken');
        throw error;
      }
    },

    async remove(id) {
      const outcome = await db.transaction((tx) => tx.admins.deleteKeepingAnOwner(id));
      if (outcome === 'not_found') throw new AppError('admin_not_found');
      if (outcome === 'last_owner') {
        throw new AppError(
          'last_admin',
          'At least one owner must remain; create another owner first.',
        );
      }
    },
  };
}
