import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

const TABLE = 'federation_states';

/** `upstream`: a round trip to the provider; `link`: a pending "sign in with your password to link". */
export const federationStateKinds = ['upstream', 'link'] as const;
export type FederationStateKind = (typeof federationStateKinds)[number];

const federationStateSchema = z
  .object({
    id: z.string(),
    handle_hash: z.string(),
    kind: z.enum(federationStateKinds),
    provider_id: z.string(),
    sealed: z.string(),
    created_at: dbDate,
    expires_at: dbDate,
    consumed_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    handleHash: r.handle_hash,
    kind: r.kind,
    providerId: r.provider_id,
    /** The state's content, sealed by the data plane (the caller's format). */
    sealed: r.sealed,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
  }));

/** The server side of a federated sign-in step. */
export type FederationStateRow = z.output<typeof federationStateSchema>;

/** What {@link FederationStateRepository.create} needs. */
export interface NewFederationState {
  /** SHA-256 (64 lowercase hex) of the handle the browser carries (never stored itself). */
  handleHash: string;
  kind: FederationStateKind;
  providerId: string;
  sealed: string;
  expiresAt: Date;
}

/**
 * Federation states: single use by construction (`consume` is one conditional update).
 *
 * @example
 * await tenant.db.federationStates.create({ handleHash: sha256(state), kind: 'upstream', ... });
 * const row = await tenant.db.federationStates.consume(sha256(state), 'upstream', new Date());
 */
export interface FederationStateRepository {
  create(state: NewFederationState): Promise<FederationStateRow>;
  /**
   * Spends the live state the hash names, once: of concurrent callers exactly one gets the row.
   * Undefined when unknown, of another kind, spent or expired at `now`.
   */
  consume(
    handleHash: string,
    kind: FederationStateKind,
    now: Date,
  ): Promise<FederationStateRow | undefined>;
  /** Deletes up to `limit` states that expired before `before`; returns how many. */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

/** Builds the federation-state repository over a tenant's knex handle or transaction. */
export function createFederationStateRepository(
  db: Knex | Knex.Transaction,
): FederationStateRepository {
  const parse = (row: unknown): FederationStateRow => federationStateSchema.parse(row);
  return {
    async create(state) {
      assertSha256Hex(state.handleHash, 'handleHash');
      const raw = {
        id: randomUUID(),
        handle_hash: state.handleHash,
        kind: state.kind,
        provider_id: state.providerId,
        sealed: state.sealed,
        created_at: new Date(),
        expires_at: state.expiresAt,
        consumed_at: null,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async consume(handleHash, kind, now) {
      assertSha256Hex(handleHash, 'handleHash');
      const count = await db(TABLE)
        .where({ handle_hash: handleHash, kind })
        .whereNull('consumed_at')
        .where('expires_at', '>', now)
        .update({ consumed_at: now });
      if (count !== 1) return undefined;
      const row: unknown = await db(TABLE).where({ handle_hash: handleHash }).first();
      return row === undefined ? undefined : parse(row);
    },
    deleteExpired: (before, limit) => deleteExpiredRows(db, TABLE, before, limit),
  };
}
