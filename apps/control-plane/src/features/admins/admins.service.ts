import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail, type AdminRow, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { z } from 'zod';
import { fetchPage } from '../../shared/fetch-page';
import { grantTenantsView, resolveGrantTenants } from '../api-keys';
import { revokeAdminTokens } from '../auth';
import type { Admin, CreateAdminBody, UpdateAdminBody } from './admins.schemas';

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
  /** Deletes an admin (never the last enabled global owner); its tokens die on both planes. */
  remove(id: string): Promise<void>;
  /**
   * Changes an admin's role or tenants, or disables or enables it. Tokens issued before are void
   * on the data plane (they carry the old grant); disabling also ends every session.
   */
  update(id: string, input: z.output<typeof UpdateAdminBody>): Promise<AdminView>;
}

function toAdminView(admin: AdminRow): AdminView {
  return {
    id: admin.id,
    email: admin.email,
    role: admin.role,
    tenants: grantTenantsView(admin.tenants),
    disabled: admin.disabledAt !== null,
    created_at: admin.createdAt.toISOString(),
  };
}

const lastOwner = (): AppError =>
  new AppError(
    'last_admin',
    'At least one enabled owner of every tenant must remain; create another owner first.',
  );

export function createAdminService(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  /** Called after a commit that wrote to the outbox (a revocation's event). */
  onOutboxWrite?: () => void;
}): AdminService {
  const { db, hasher } = deps;
  const kick = deps.onOutboxWrite ?? (() => undefined);
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
          tenants: await resolveGrantTenants(db, input.tenants),
        });
        return toAdminView(admin);
      } catch (error) {
        if (error instanceof ConflictError) throw new AppError('admin_email_taken');
        throw error;
      }
    },

    async remove(id) {
      const outcome = await db.transaction(async (tx) => {
        const result = await tx.admins.deleteKeepingAnOwner(id);
        if (result === 'deleted') {
          const now = new Date();
          await tx.adminSessions.revokeSessionsOf(id, now);
          await revokeAdminTokens(tx, id, null, now);
        }
        return result;
      });
      if (outcome === 'not_found') throw new AppError('admin_not_found');
      if (outcome === 'last_owner') throw lastOwner();
      kick();
    },

    async update(id, input) {
      const tenants =
        input.tenants === undefined ? undefined : await resolveGrantTenants(db, input.tenants);
      const now = new Date();
      const result = await db.transaction(async (tx) => {
        const updated = await tx.admins.updateKeepingAnOwner(id, {
          ...(input.role === undefined ? {} : { role: input.role }),
          ...(tenants === undefined ? {} : { tenants }),
          ...(input.disabled === undefined ? {} : { disabledAt: input.disabled ? now : null }),
        });
        if (updated.outcome !== 'updated') return updated;
        if (input.disabled === true) await tx.adminSessions.revokeSessionsOf(id, now);
        if (input.disabled !== false || input.role !== undefined || tenants !== undefined) {
          await revokeAdminTokens(tx, id, null, now);
        }
        return updated;
      });
      if (result.outcome === 'last_owner') throw lastOwner();
      if (result.outcome !== 'updated') throw new AppError('admin_not_found');
      kick();
      return toAdminView(result.admin);
    },
  };
}
