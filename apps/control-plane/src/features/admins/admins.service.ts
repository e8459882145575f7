import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail, type AdminRow, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { Logger } from '@hellojohn/http';
import { generateOpaqueSecret, type PasswordHasher } from '@hellojohn/tokens';
import type { z } from 'zod';
import { adminInvitationMail, type AdminMailer } from '../../mail';
import { fetchPage } from '../../shared/fetch-page';
import { grantTenantsView, resolveGrantTenants } from '../api-keys';
import { revokeAdminTokens } from '../auth';
import type { Admin, CreateAdminBody, InvitedAdmin, UpdateAdminBody } from './admins.schemas';

type AdminView = z.input<typeof Admin>;
type InvitedAdminView = z.input<typeof InvitedAdmin>;

/** How long an invitation link works (docs/operations.md, "Admins"). */
const INVITATION_TTL_MS = 72 * 3600 * 1000;
const INVITATION_TOKEN_PREFIX = 'hjinv_';
/** What an invited admin's `password_hash` holds: not bcrypt, so no password ever matches it. */
const NO_PASSWORD = '!invited';

export type BootstrapResult =
  { created: false } | { created: true; email: string; generatedPassword: string | undefined };

export interface AdminService {
  /** Creates the first owner when there is no admin; returns a generated password to print once. */
  bootstrap(email: string | undefined, password: string | undefined): Promise<BootstrapResult>;
  list(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ data: AdminView[]; next_cursor: string | null }>;
  /**
   * Creates an admin with a password, or (without one) an invited admin, and mails it a one-time
   * link to `{HJ_CP_URL}/console/#/accept-invitation?token=...`.
   */
  create(input: z.output<typeof CreateAdminBody>): Promise<InvitedAdminView>;
  /** Mails an invited admin a new link; earlier links stop working. 409 `admin_not_invited`. */
  resendInvitation(id: string): Promise<InvitedAdminView>;
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
    status:
      admin.disabledAt !== null ? 'disabled' : admin.invitedAt !== null ? 'invited' : 'active',
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
  /** Sends invitation mails. */
  mailer: AdminMailer;
  /** `HJ_CP_URL`: invitation links point at its console. */
  cpUrl: string;
  logger: Logger;
  /** Called after a commit that wrote to the outbox (a revocation's event). */
  onOutboxWrite?: () => void;
}): AdminService {
  const { db, hasher, mailer } = deps;
  const kick = deps.onOutboxWrite ?? (() => undefined);

  /** Stores a new link for `admin` (voiding older ones) in `tx`; the token goes in the mail only. */
  async function newInvitation(tx: GlobalDb, adminId: string) {
    const secret = generateOpaqueSecret(INVITATION_TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    await tx.adminInvitations.replace({
      id: randomUUID(),
      adminId,
      tokenHash: secret.hash,
      expiresAt,
    });
    return { token: secret.token, expiresAt };
  }

  /**
   * Mails the link after the commit (SMTP never runs inside a transaction). A failure is logged
   * and reported in the answer; the operator resends once mail works.
   */
  async function mailInvitation(
    admin: AdminRow,
    invitation: { token: string; expiresAt: Date },
  ): Promise<InvitedAdminView> {
    const link = new URL('/console/', deps.cpUrl);
    link.hash = `/accept-invitation?token=${encodeURIComponent(invitation.token)}`;
    let mail: 'sent' | 'logged' | 'failed';
    try {
      mail = await mailer.send(
        adminInvitationMail({
          to: admin.email,
          link: link.toString(),
          role: admin.role,
          expiresAt: invitation.expiresAt,
        }),
      );
    } catch (error) {
      deps.logger.error(
        { err: error, admin: admin.id, component: 'mail' },
        'CP admin invitation mail could not be sent; resend it once mail works',
      );
      mail = 'failed';
    }
    return {
      ...toAdminView(admin),
      invitation: { expires_at: invitation.expiresAt.toISOString(), mail },
    };
  }

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
      const tenants = await resolveGrantTenants(db, input.tenants);
      const password = input.invite === true ? undefined : input.password;
      const passwordHash = password === undefined ? NO_PASSWORD : await hasher.hash(password);
      let created: { admin: AdminRow; invitation?: { token: string; expiresAt: Date } };
      try {
        created = await db.transaction(async (tx) => {
          const admin = await tx.admins.create({
            id: randomUUID(),
            email: normalizeEmail(input.email),
            passwordHash,
            role: input.role,
            tenants,
            invitedAt: password === undefined ? new Date() : null,
          });
          if (password !== undefined) return { admin };
          return { admin, invitation: await newInvitation(tx, admin.id) };
        });
      } catch (error) {
        if (error instanceof ConflictError) throw new AppError('admin_email_taken');
        throw error;
      }
      if (!created.invitation) return toAdminView(created.admin);
      return mailInvitation(created.admin, created.invitation);
    },

    async resendInvitation(id) {
      const admin = await db.admins.findById(id);
      if (!admin) throw new AppError('admin_not_found');
      if (admin.invitedAt === null) {
        throw new AppError('admin_not_invited', 'The admin has accepted its invitation already.');
      }
      const invitation = await db.transaction((tx) => newInvitation(tx, admin.id));
      return mailInvitation(admin, invitation);
    },

    async remove(id) {
      const outcome = await db.transaction(async (tx) => {
        const result = await tx.admins.deleteKeepingAnOwner(id);
        if (result === 'deleted') {
          const now = new Date();
          await tx.adminInvitations.deleteOf(id);
          await tx.adminMfa.deleteAllOf(id);
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
