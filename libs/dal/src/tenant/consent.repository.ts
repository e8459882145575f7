import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { isUniqueViolation, mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJsonStrings, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const consentSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    client_id: z.string(),
    scopes: dbJsonStrings,
    created_at: dbDate,
    granted_at: dbDate,
    updated_at: dbDate,
    revoked_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    clientId: r.client_id,
    /** Granted scopes, sorted and without duplicates. */
    scopes: r.scopes,
    /** The first grant ever: never changes, orders the list. */
    createdAt: r.created_at,
    /** The start of the current grant (a grant after a revocation starts a new one). */
    grantedAt: r.granted_at,
    updatedAt: r.updated_at,
    revokedAt: r.revoked_at,
  }));

/** The scopes one user granted one client (remembered consent). */
export type ConsentRow = z.output<typeof consentSchema>;

/**
 * A tenant's remembered consents: the consent page is skipped when the live consent covers the
 * requested scopes. One row per (user, client).
 *
 * @example
 * const consent = await tenant.db.consents.find(userId, clientId);
 * const covered = requested.every((s) => consent?.scopes.includes(s));
 * if (!covered) showConsentPage(); // and on "Allow":
 * await tenant.db.consents.grant(userId, clientId, requested);
 */
export interface ConsentRepository {
  /** The live consent, or undefined when there is none or it was revoked. */
  find(userId: string, clientId: string): Promise<ConsentRow | undefined>;
  /**
   * Adds `scopes` to the user's live consent for the client, or starts one with just `scopes`
   * (also after a revocation: revoked scopes do not come back). Concurrent grants all land: each
   * locks the row, then reads and writes it. It runs its own transaction: call it outside one
   * (under MySQL's repeatable read, a caller's older snapshot could hide a concurrent grant).
   * `NotFoundError`: unknown user.
   */
  grant(userId: string, clientId: string, scopes: readonly string[]): Promise<ConsentRow>;
  /**
   * Revokes the live consent; false when there was none. The client's sessions stay: ending them
   * too is `sessions.revokeForClientListed`.
   */
  revoke(userId: string, clientId: string): Promise<boolean>;
  /** The user's live consents, most recently first granted first (keyset on created_at, id). */
  listForUser(userId: string, request: PageRequest): Promise<Page<ConsentRow>>;
}

const GRANT_ATTEMPTS = 5;

const idRow = z.object({ id: z.string() });

const normalize = (scopes: readonly string[]): string[] => [...new Set(scopes)].sort();

/** Builds the consent repository over a tenant's knex handle or transaction. */
export function createConsentRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): ConsentRepository {
  const parse = (row: unknown): ConsentRow => consentSchema.parse(row);
  const live = () => db('oauth_consents').whereNull('revoked_at');

  /** Inserts the first consent; false when another grant inserted it first. */
  async function insertFirst(raw: Record<string, unknown>): Promise<boolean> {
    try {
      // A nested transaction (a savepoint inside the caller's) keeps a lost race from aborting
      // the caller's pg transaction.
      await db.transaction(async (trx) => {
        await trx('oauth_consents').insert(raw);
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw mapDbError(err);
    }
  }

  return {
    async find(userId, clientId) {
      const row: unknown = await live().where({ user_id: userId, client_id: clientId }).first();
      return row === undefined ? undefined : parse(row);
    },
    async grant(userId, clientId, scopes) {
      for (let attempt = 0; attempt < GRANT_ATTEMPTS; attempt += 1) {
        const stored = idRow
          .optional()
          .parse(
            await db('oauth_consents').where({ user_id: userId, client_id: clientId }).first('id'),
          );
        if (stored === undefined) {
          const now = new Date();
          const raw = {
            id: randomUUID(),
            user_id: userId,
            client_id: clientId,
            scopes: toJson(normalize(scopes)),
            created_at: now,
            granted_at: now,
            updated_at: now,
            revoked_at: null,
          };
          if (await insertFirst(raw)) return parse(raw);
          continue;
        }
        const granted = await db.transaction(async (trx) => {
          const now = new Date();
          // Writing the row first locks it (pg, MySQL; SQLite runs one writer): concurrent
          // grants take turns, so each reads the scopes the previous one wrote.
          const row = trx('oauth_consents').where({ id: stored.id });
          if ((await row.clone().update({ updated_at: now })) === 0) return undefined;
          const current = parse(await row.clone().first());
          const revoked = current.revokedAt !== null;
          const next = normalize(revoked ? scopes : [...current.scopes, ...scopes]);
          const restart = revoked ? { granted_at: now, revoked_at: null } : {};
          await row.clone().update({ scopes: toJson(next), ...restart });
          return {
            ...current,
            scopes: next,
            ...(revoked ? { grantedAt: now, revokedAt: null } : {}),
          };
        });
        // Undefined: the row was deleted (with its user) in between; start over.
        if (granted !== undefined) return granted;
      }
      throw new Error(`consent grant for client "${clientId}" kept losing concurrent updates`);
    },
    async revoke(userId, clientId) {
      const now = new Date();
      const count = await live()
        .where({ user_id: userId, client_id: clientId })
        .update({ revoked_at: now, updated_at: now });
      return count > 0;
    },
    listForUser(userId, request) {
      return keysetPage(live().where({ user_id: userId }).select('*'), request, parse, {
        cursors,
        order: 'desc',
      });
    },
  };
}
