import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { countRow, dbBool, dbDate, dbJsonObject, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';
import { likePattern } from '../internal/like';
import { OWNER_ROLE } from './membership.repository';

const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    email_normalized: z.string(),
    name: z.string().nullable(),
    metadata: dbJsonObject,
    status: z.enum(['active', 'disabled']),
    email_verified: dbBool,
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    email: r.email,
    emailNormalized: r.email_normalized,
    name: r.name,
    metadata: r.metadata,
    status: r.status,
    emailVerified: r.email_verified,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** An end user of one tenant. */
export type UserRow = z.output<typeof userSchema>;

/** What {@link UserRepository.create} needs. */
export interface NewUser {
  id: string;
  email: string;
  /** The lookup key (lowercased, trimmed): unique per tenant. */
  emailNormalized: string;
  name: string | null;
  metadata?: Record<string, unknown>;
  emailVerified?: boolean;
}

/** Fields {@link UserRepository.update} may change. */
export interface UserPatch {
  name?: string | null;
  metadata?: Record<string, unknown>;
  status?: 'active' | 'disabled';
  emailVerified?: boolean;
}

/** A tenant's users. */
export interface UserRepository {
  create(user: NewUser): Promise<UserRow>;
  findById(id: string): Promise<UserRow | undefined>;
  findByEmailNormalized(emailNormalized: string): Promise<UserRow | undefined>;
  update(id: string, patch: UserPatch): Promise<UserRow | undefined>;
  /** Oldest first; `email` keeps users whose normalised email starts with it. */
  list(request: PageRequest & { email?: string | undefined }): Promise<Page<UserRow>>;
  delete(id: string): Promise<boolean>;
  /**
   * Deletes the user (their memberships go with them) unless they are the only owner of an
   * organization: then nothing changes and the answer names those organizations. Race-safe like
   * the membership rule: the organizations the user owns are locked first (in id order), so a
   * concurrent owner-reducing change takes turns with this one and counts what it left.
   */
  deleteKeepingOrganizationOwners(id: string): Promise<'deleted' | 'not_found' | SoleOwnerOf>;
  count(): Promise<number>;
}

/** The organizations a user is the only owner of, which refuse to lose them. */
export interface SoleOwnerOf {
  soleOwnerOf: Array<{ id: string; slug: string; name: string }>;
}

const ownedOrganization = z.object({ id: z.string(), slug: z.string(), name: z.string() });

/** Builds the user repository over a tenant's knex handle or transaction. */
export function createUserRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): UserRepository {
  const parse = (row: unknown): UserRow => userSchema.parse(row);
  const first = async (where: Record<string, string>): Promise<UserRow | undefined> => {
    const row: unknown = await db('users').where(where).first();
    return row === undefined ? undefined : parse(row);
  };

  return {
    async create(user) {
      const now = new Date();
      const raw = {
        id: user.id,
        email: user.email,
        email_normalized: user.emailNormalized,
        name: user.name,
        metadata: toJson(user.metadata ?? {}),
        status: 'active' as const,
        email_verified: user.emailVerified ?? false,
        created_at: now,
        updated_at: now,
      };
      try {
        await db('users').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findById: (id) => first({ id }),
    findByEmailNormalized: (emailNormalized) => first({ email_normalized: emailNormalized }),
    async update(id, patch) {
      const changes: Record<string, unknown> = { updated_at: new Date() };
      if (patch.name !== undefined) changes['name'] = patch.name;
      if (patch.metadata !== undefined) changes['metadata'] = toJson(patch.metadata);
      if (patch.status !== undefined) changes['status'] = patch.status;
      if (patch.emailVerified !== undefined) changes['email_verified'] = patch.emailVerified;
      const count = await db('users').where({ id }).update(changes);
      return count === 0 ? undefined : first({ id });
    },
    list(request) {
      const query = db('users').select('*');
      if (request.email !== undefined && request.email !== '') {
        // Explicit ESCAPE: SQLite has no default LIKE escape character. Bound, never built.
        void query.whereRaw('?? like ? escape ?', [
          'email_normalized',
          likePattern(request.email.toLowerCase(), 'prefix'),
          '\\',
        ]);
      }
      return keysetPage(query, request, parse, { cursors });
    },
    async delete(id) {
      return (await db('users').where({ id }).delete()) > 0;
    },
    deleteKeepingOrganizationOwners(id) {
      return db.transaction(async (trx) => {
        const sqlite = driverOf(trx) === 'sqlite';
        // Locking reads only (SQLite runs one writer at a time): they see the latest committed
        // rows, where MySQL's plain reads would see the snapshot of the first one.
        const owned = trx('organizations')
          .whereIn(
            'id',
            trx('memberships').where({ user_id: id, role: OWNER_ROLE }).select('organization_id'),
          )
          .select('id', 'slug', 'name')
          .orderBy('id');
        const organizations = ((await (sqlite ? owned : owned.forUpdate())) as unknown[]).map(
          (row) => ownedOrganization.parse(row),
        );
        const soleOwnerOf: SoleOwnerOf['soleOwnerOf'] = [];
        if (organizations.length > 0) {
          const others = trx('memberships')
            .whereIn(
              'organization_id',
              organizations.map((org) => org.id),
            )
            .where({ role: OWNER_ROLE })
            .whereNot({ user_id: id })
            .select('organization_id');
          const coOwned = new Set(
            ((await (sqlite ? others : others.forShare())) as unknown[]).map(
              (row) => z.object({ organization_id: z.string() }).parse(row).organization_id,
            ),
          );
          soleOwnerOf.push(...organizations.filter((org) => !coOwned.has(org.id)));
        }
        if (soleOwnerOf.length > 0) return { soleOwnerOf };
        return (await trx('users').where({ id }).delete()) > 0 ? 'deleted' : 'not_found';
      });
    },
    async count() {
      const row: unknown = await db('users').count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
  };
}
