import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbDate } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

/** The organization role no organization may be left without. */
export const OWNER_ROLE = 'owner';

const membershipSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    user_id: z.string(),
    role: z.string(),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    userId: r.user_id,
    role: r.role,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A user's membership of an organization, with their role key there. */
export type MembershipRow = z.output<typeof membershipSchema>;

/** A membership with the member's profile, for member lists. */
export type MemberRow = MembershipRow & { email: string; name: string | null };

const memberExtra = z.object({ email: z.string(), name: z.string().nullable() });

/** What {@link MembershipRepository.add} needs. */
export type NewMembership = Pick<MembershipRow, 'id' | 'organizationId' | 'userId' | 'role'>;

/** Why a change that would take the organization's last owner away was refused. */
export type OwnerGuarded<T extends string> = T | 'not_found' | 'last_owner';

/** Organization memberships. Every organization keeps at least one owner. */
export interface MembershipRepository {
  /** Throws `ConflictError` when the user already is a member, `NotFoundError` for an unknown user or organization. */
  add(membership: NewMembership): Promise<MembershipRow>;
  find(organizationId: string, userId: string): Promise<MembershipRow | undefined>;
  /** Members oldest first, with their email and name. */
  listForOrganization(organizationId: string): Promise<MemberRow[]>;
  /** {@link MembershipRepository.listForOrganization} a page at a time (keyset on joining, id). */
  pageForOrganization(organizationId: string, request: PageRequest): Promise<Page<MemberRow>>;
  /** How many members hold the role key in the organization (null: in any organization). */
  countWithRole(organizationId: string | null, role: string): Promise<number>;
  /**
   * Gives the member another role and returns the changed membership; `last_owner` when that
   * would leave the organization without an owner. Race-safe: see {@link MembershipRepository.remove}.
   */
  changeRole(
    organizationId: string,
    userId: string,
    role: string,
  ): Promise<MembershipRow | 'not_found' | 'last_owner'>;
  /**
   * Removes the member; `last_owner` when they are its only owner. Race-safe on every engine:
   * each owner-reducing change first writes the organization's row, which locks it (pg, MySQL;
   * SQLite runs one writer at a time), so concurrent changes to one organization take turns and
   * each counts the owners the previous one left.
   */
  remove(organizationId: string, userId: string): Promise<OwnerGuarded<'removed'>>;
}

/** Builds the membership repository over a tenant's knex handle or transaction. */
export function createMembershipRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): MembershipRepository {
  const parse = (row: unknown): MembershipRow => membershipSchema.parse(row);
  const parseMember = (row: unknown): MemberRow => ({ ...parse(row), ...memberExtra.parse(row) });
  const membersOf = (organizationId: string) =>
    db('memberships')
      .join('users', 'users.id', 'memberships.user_id')
      .where('memberships.organization_id', organizationId)
      .select('memberships.*', 'users.email', 'users.name');

  /**
   * Runs `change` in a transaction (a savepoint inside a caller's) holding the organization's
   * row lock; `not_found` when the organization or the membership does not exist.
   */
  async function guarded<T extends string>(
    organizationId: string,
    userId: string,
    change: (
      trx: Knex.Transaction,
      member: MembershipRow,
      otherOwners: () => Promise<number>,
    ) => Promise<T | 'last_owner'>,
  ): Promise<OwnerGuarded<T>> {
    return db.transaction(async (trx) => {
      const locked = await trx('organizations')
        .where({ id: organizationId })
        .update({ updated_at: new Date() });
      if (locked === 0) return 'not_found';
      const row: unknown = await trx('memberships')
        .where({ organization_id: organizationId, user_id: userId })
        .first();
      if (row === undefined) return 'not_found';
      const otherOwners = async (): Promise<number> => {
        const counted: unknown = await trx('memberships')
          .where({ organization_id: organizationId, role: OWNER_ROLE })
          .whereNot({ user_id: userId })
          .count({ n: '*' })
          .first();
        return countRow.parse(counted).n;
      };
      return change(trx, parse(row), otherOwners);
    });
  }

  return {
    async add(membership) {
      const now = new Date();
      const raw = {
        id: membership.id,
        organization_id: membership.organizationId,
        user_id: membership.userId,
        role: membership.role,
        created_at: now,
        updated_at: now,
      };
      try {
        await db('memberships').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async find(organizationId, userId) {
      const row: unknown = await db('memberships')
        .where({ organization_id: organizationId, user_id: userId })
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async listForOrganization(organizationId) {
      const rows = (await membersOf(organizationId).orderBy([
        { column: 'memberships.created_at', order: 'asc' },
        { column: 'memberships.id', order: 'asc' },
      ])) as unknown[];
      return rows.map(parseMember);
    },
    pageForOrganization(organizationId, request) {
      return keysetPage(membersOf(organizationId), request, parseMember, {
        cursors,
        by: { column: 'memberships.created_at', value: (row) => row.createdAt },
        idColumn: 'memberships.id',
      });
    },
    async countWithRole(organizationId, role) {
      const query = db('memberships').where({ role });
      if (organizationId !== null) void query.where({ organization_id: organizationId });
      const counted: unknown = await query.count({ n: '*' }).first();
      return countRow.parse(counted).n;
    },
    async changeRole(organizationId, userId, role) {
      let updated: MembershipRow | undefined;
      const outcome = await guarded<'updated'>(
        organizationId,
        userId,
        async (trx, member, otherOwners) => {
          if (member.role === OWNER_ROLE && role !== OWNER_ROLE && (await otherOwners()) === 0) {
            return 'last_owner';
          }
          const now = new Date();
          await trx('memberships').where({ id: member.id }).update({ role, updated_at: now });
          updated = { ...member, role, updatedAt: now };
          return 'updated';
        },
      );
      if (outcome !== 'updated') return outcome;
      return updated ?? 'not_found';
    },
    remove(organizationId, userId) {
      return guarded<'removed'>(organizationId, userId, async (trx, member, otherOwners) => {
        if (member.role === OWNER_ROLE && (await otherOwners()) === 0) return 'last_owner';
        await trx('memberships').where({ id: member.id }).delete();
        return 'removed';
      });
    },
  };
}
