import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { countRow, dbDate } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const adminSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    password_hash: z.string(),
    role: z.enum(['owner', 'viewer']),
    created_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    role: r.role,
    createdAt: r.created_at,
  }));

/** A control-plane administrator. */
export type AdminRow = z.output<typeof adminSchema>;

/** What {@link AdminRepository.create} needs. Callers normalise the email (lowercase). */
export interface NewAdmin {
  id: string;
  email: string;
  passwordHash: string;
  role: 'owner' | 'viewer';
}

/** Control-plane administrators. */
export interface AdminRepository {
  create(admin: NewAdmin): Promise<AdminRow>;
  findByEmail(email: string): Promise<AdminRow | undefined>;
  findById(id: string): Promise<AdminRow | undefined>;
  list(request: PageRequest): Promise<Page<AdminRow>>;
  count(): Promise<number>;
  delete(id: string): Promise<boolean>;
  /**
   * Deletes an admin unless that would leave no owner. Owner rows are locked first (pg/mysql;
   * SQLite serialises writers), so two concurrent deletes cannot remove the last two owners.
   * Must run inside a transaction.
   */
  deleteKeepingAnOwner(id: string): Promise<'deleted' | 'not_found' | 'last_owner'>;
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

  return {
    async create(admin) {
      const raw = {
        id: admin.id,
        email: admin.email,
        password_hash: admin.passwordHash,
        role: admin.role,
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
    async deleteKeepingAnOwner(id) {
      const owners = db('cp_admins').where({ role: 'owner' }).select('id');
      const ownerIds = (
        (await (driverOf(db) === 'sqlite' ? owners : owners.forUpdate())) as Array<{
          id: string;
        }>
      ).map((row) => row.id);
      const target = await first({ id });
      if (!target) return 'not_found';
      if (target.role === 'owner' && ownerIds.filter((owner) => owner !== id).length === 0) {
        return 'last_owner';
      }
      await db('cp_admins').where({ id }).delete();
      return 'deleted';
    },
  };
}
