import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbDateOrNull, dbJson, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

/**
 * An operator's role, weakest last: `owner` also manages admins and API keys, `admin` manages
 * tenants' content, `viewer` only reads.
 */
export const ADMIN_ROLES = ['owner', 'admin', 'viewer'] as const;

/** One of {@link ADMIN_ROLES}. */
export type AdminRole = (typeof ADMIN_ROLES)[number];

const adminSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    password_hash: z.string(),
    role: z.enum(ADMIN_ROLES),
    tenants: dbJson.pipe(z.array(z.string())).nullable().optional(),
    disabled_at: dbDateOrNull.optional(),
    invited_at: dbDateOrNull.optional(),
    created_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    role: r.role,
    tenants: r.tenants ?? null,
    disabledAt: r.disabled_at ?? null,
    /** Set while an invited admin has not accepted (no usable password yet). */
    invitedAt: r.invited_at ?? null,
    createdAt: r.created_at,
  }));

/** A control-plane administrator. */
export type AdminRow = z.output<typeof adminSchema>;

/** What {@link AdminRepository.create} needs. Callers normalise the email (lowercase). */
export interface NewAdmin {
  id: string;
  email: string;
  passwordHash: string;
  role: AdminRole;
  /** The tenant ids the grant covers; null or omitted: every tenant. */
  tenants?: string[] | null;
  /** An invited admin: `passwordHash` is a placeholder until the invitation is accepted. */
  invitedAt?: Date | null;
}

/** What {@link AdminRepository.updateKeepingAnOwner} may change. */
export interface AdminPatch {
  role?: AdminRole;
  tenants?: string[] | null;
  disabledAt?: Date | null;
}

/** Control-plane administrators. */
export interface AdminRepository {
  create(admin: NewAdmin): Promise<AdminRow>;
  findByEmail(email: string): Promise<AdminRow | undefined>;
  findById(id: string): Promise<AdminRow | undefined>;
  list(request: PageRequest): Promise<Page<AdminRow>>;
  count(): Promise<number>;
  delete(id: string): Promise<boolean>;
  /** Sets an invited admin's password and ends its invited state; false unless it was invited. */
  acceptInvitation(id: string, passwordHash: string): Promise<boolean>;
  /**
   * Deletes an admin unless that would leave no owner. Owner rows are locked first (pg/mysql;
   * SQLite serialises writers), so two concurrent deletes cannot remove the last two owners.
   * Must run inside a transaction.
   */
  deleteKeepingAnOwner(id: string): Promise<'deleted' | 'not_found' | 'last_owner'>;
  /**
   * Changes an admin unless that would leave no enabled owner of every tenant (same locking as
   * {@link deleteKeepingAnOwner}). Must run inside a transaction.
   */
  updateKeepingAnOwner(
    id: string,
    patch: AdminPatch,
  ): Promise<{ outcome: 'updated'; admin: AdminRow } | { outcome: 'not_found' | 'last_owner' }>;
}

/**
 * An enabled owner of every tenant who can sign in (not still invited): the kind of admin that
 * must always remain.
 */
function isGlobalOwner(
  admin: Pick<AdminRow, 'role' | 'tenants' | 'disabledAt' | 'invitedAt'>,
): boolean {
  return (
    admin.role === 'owner' &&
    admin.tenants === null &&
    admin.disabledAt === null &&
    admin.invitedAt === null
  );
}

/** Builds the admin repository over a knex handle or transaction. */
export function createAdminRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): AdminRepository {
  const parse = (row: unknown): AdminRow => adminSchema.parse(row);
  const first = async (where: Record<string, string>): Promise<AdminRow | undefined> => {
    const row: unknown = await db('cp_admins').where(where).first();
    return row === undefined ? undefined : parse(row);
  };

  /** Locks owner rows (pg/mysql; SQLite serialises writers) and counts the enabled global ones. */
  const lockOtherGlobalOwners = async (exceptId: string): Promise<number> => {
    const owners = db('cp_admins').where({ role: 'owner' }).select('*');
    const rows = (await (driverOf(db) === 'sqlite' ? owners : owners.forUpdate())) as unknown[];
    return rows.map(parse).filter((row) => row.id !== exceptId && isGlobalOwner(row)).length;
  };

  return {
    async create(admin) {
      const raw = {
        id: admin.id,
        email: admin.email,
        password_hash: admin.passwordHash,
        role: admin.role,
        tenants: admin.tenants ? toJson(admin.tenants) : null,
        disabled_at: null,
        invited_at: admin.invitedAt ?? null,
        created_at: new Date(),
      };
      try {
        await db('cp_admins').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findByEmail: (email) => first({ email }),
    findById: (id) => first({ id }),
    list: (request) => keysetPage(db('cp_admins').select('*'), request, parse, { cursors }),
    async count() {
      const row: unknown = await db('cp_admins').count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    async delete(id) {
      return (await db('cp_admins').where({ id }).delete()) > 0;
    },
    async acceptInvitation(id, passwordHash) {
      const updated = await db('cp_admins')
        .where({ id })
        .whereNotNull('invited_at')
        .update({ password_hash: passwordHash, invited_at: null });
      return updated > 0;
    },
    async deleteKeepingAnOwner(id) {
      const others = await lockOtherGlobalOwners(id);
      const target = await first({ id });
      if (!target) return 'not_found';
      if (isGlobalOwner(target) && others === 0) return 'last_owner';
      await db('cp_admins').where({ id }).delete();
      return 'deleted';
    },
    async updateKeepingAnOwner(id, patch) {
      const others = await lockOtherGlobalOwners(id);
      const target = await first({ id });
      if (!target) return { outcome: 'not_found' };
      const next = {
        role: patch.role ?? target.role,
        tenants: patch.tenants === undefined ? target.tenants : patch.tenants,
        disabledAt: patch.disabledAt === undefined ? target.disabledAt : patch.disabledAt,
        invitedAt: target.invitedAt,
      };
      if (isGlobalOwner(target) && !isGlobalOwner(next) && others === 0) {
        return { outcome: 'last_owner' };
      }
      const changes: Record<string, unknown> = {};
      if (patch.role !== undefined) changes['role'] = patch.role;
      if (patch.tenants !== undefined) {
        changes['tenants'] = patch.tenants === null ? null : toJson(patch.tenants);
      }
      if (patch.disabledAt !== undefined) changes['disabled_at'] = patch.disabledAt;
      if (Object.keys(changes).length > 0) await db('cp_admins').where({ id }).update(changes);
      const admin = await first({ id });
      return admin ? { outcome: 'updated', admin } : { outcome: 'not_found' };
    },
  };
}
