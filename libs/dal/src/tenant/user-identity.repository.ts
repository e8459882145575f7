import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbDateOrNull } from '../internal/columns';

const TABLE = 'user_identities';

const userIdentitySchema = z
  .object({
    id: z.string(),
    provider_id: z.string(),
    subject: z.string(),
    user_id: z.string(),
    email: z.string().nullable(),
    tokens_sealed: z.string().nullable(),
    created_at: dbDate,
    last_used_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    providerId: r.provider_id,
    /** The upstream `sub` (GitHub: the numeric user id). */
    subject: r.subject,
    userId: r.user_id,
    /** The upstream address when last seen (informational; the user's own email may differ). */
    email: r.email,
    /** Upstream tokens, sealed, only when the provider's `store_upstream_tokens` is on. */
    tokensSealed: r.tokens_sealed,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));

/** A user's link to an upstream account (docs/federation.md). */
export type UserIdentityRow = z.output<typeof userIdentitySchema>;

/** What {@link UserIdentityRepository.link} needs. */
export interface NewUserIdentity {
  providerId: string;
  subject: string;
  userId: string;
  email: string | null;
  tokensSealed: string | null;
  /** When it was last used to sign in; a link made at a sign-in (the default) is used now. */
  lastUsedAt?: Date | null | undefined;
}

/**
 * A tenant's linked upstream identities, unique by (provider, subject).
 *
 * @example
 * const identity = await tenant.db.userIdentities.find(provider.id, claims.sub);
 * if (!identity) await tenant.db.userIdentities.link({ providerId, subject, userId, email, tokensSealed: null });
 */
export interface UserIdentityRepository {
  /** Throws `ConflictError` when the upstream account is already linked (to anyone). */
  link(identity: NewUserIdentity): Promise<UserIdentityRow>;
  find(providerId: string, subject: string): Promise<UserIdentityRow | undefined>;
  listByUser(userId: string): Promise<UserIdentityRow[]>;
  countByUser(userId: string): Promise<number>;
  /** Records a sign-in through the identity (and replaces the stored tokens when given). */
  touch(
    id: string,
    at: Date,
    update: { email: string | null; tokensSealed?: string | null },
  ): Promise<void>;
  /** Unlinks one of the user's identities; false when the user has no such identity. */
  unlink(userId: string, id: string): Promise<boolean>;
}

/** Builds the user-identity repository over a tenant's knex handle or transaction. */
export function createUserIdentityRepository(db: Knex | Knex.Transaction): UserIdentityRepository {
  const parse = (row: unknown): UserIdentityRow => userIdentitySchema.parse(row);
  return {
    async link(identity) {
      const raw = {
        id: randomUUID(),
        provider_id: identity.providerId,
        subject: identity.subject,
        user_id: identity.userId,
        email: identity.email,
        tokens_sealed: identity.tokensSealed,
        created_at: new Date(),
        // An imported link has not signed anyone in here yet.
        last_used_at: identity.lastUsedAt === undefined ? new Date() : identity.lastUsedAt,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async find(providerId, subject) {
      const row: unknown = await db(TABLE).where({ provider_id: providerId, subject }).first();
      return row === undefined ? undefined : parse(row);
    },
    async listByUser(userId) {
      const rows = (await db(TABLE)
        .where({ user_id: userId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])) as unknown[];
      return rows.map(parse);
    },
    async countByUser(userId) {
      const row: unknown = await db(TABLE).where({ user_id: userId }).count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    async touch(id, at, update) {
      const columns: Record<string, unknown> = { last_used_at: at, email: update.email };
      if (update.tokensSealed !== undefined) columns['tokens_sealed'] = update.tokensSealed;
      await db(TABLE).where({ id }).update(columns);
    },
    async unlink(userId, id) {
      return (await db(TABLE).where({ user_id: userId, id }).delete()) > 0;
    },
  };
}
