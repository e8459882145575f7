import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJsonObject, toJson } from '../internal/columns';

/** next -> active -> retiring (still in the JWKS, no longer signing) -> retired. */
export const signingKeyStatuses = ['next', 'active', 'retiring', 'retired'] as const;
export type SigningKeyStatus = (typeof signingKeyStatuses)[number];

const signingKeySchema = z
  .object({
    kid: z.string(),
    alg: z.string(),
    use: z.string(),
    public_jwk: dbJsonObject,
    private_key_encrypted: z.string(),
    status: z.enum(signingKeyStatuses),
    created_at: dbDate,
    activates_at: dbDateOrNull,
    retires_at: dbDateOrNull,
  })
  .transform((r) => ({
    kid: r.kid,
    alg: r.alg,
    use: r.use,
    publicJwk: r.public_jwk,
    privateKeyEncrypted: r.private_key_encrypted,
    status: r.status,
    createdAt: r.created_at,
    activatesAt: r.activates_at,
    retiresAt: r.retires_at,
  }));

/** One of a tenant's token-signing keys. */
export type SigningKeyRow = z.output<typeof signingKeySchema>;

/** What {@link SigningKeyRepository.insert} needs. */
export type NewSigningKey = Omit<SigningKeyRow, 'createdAt'>;

/** A tenant's signing keys. */
export interface SigningKeyRepository {
  insert(key: NewSigningKey): Promise<SigningKeyRow>;
  /** Newest first. */
  listAll(): Promise<SigningKeyRow[]>;
  /** The newest active key (of algorithm `alg`, when given: a tenant has one active key per alg). */
  findActive(alg?: string): Promise<SigningKeyRow | undefined>;
  /**
   * Moves a key to `status`. `at` (default now) is recorded as `activates_at` for `active` and as
   * `retires_at` for `retiring`/`retired`.
   */
  setStatus(kid: string, status: SigningKeyStatus, at?: Date): Promise<boolean>;
  /**
   * Moves a key from `from` to `to` only if it is still `from` (a compare-and-set, so replicas
   * racing to promote the same key change it once); `times` are written as given. True if moved.
   */
  transition(
    kid: string,
    from: SigningKeyStatus,
    to: SigningKeyStatus,
    times?: { activatesAt?: Date | null; retiresAt?: Date | null },
  ): Promise<boolean>;
}

/** Builds the signing-key repository over a tenant's knex handle or transaction. */
export function createSigningKeyRepository(db: Knex | Knex.Transaction): SigningKeyRepository {
  const parse = (row: unknown): SigningKeyRow => signingKeySchema.parse(row);
  const newestFirst = [
    { column: 'created_at', order: 'desc' as const },
    { column: 'kid', order: 'desc' as const },
  ];
  return {
    async insert(key) {
      const raw = {
        kid: key.kid,
        alg: key.alg,
        use: key.use,
        public_jwk: toJson(key.publicJwk),
        private_key_encrypted: key.privateKeyEncrypted,
        status: key.status,
        created_at: new Date(),
        activates_at: key.activatesAt,
        retires_at: key.retiresAt,
      };
      try {
        await db('signing_keys').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async listAll() {
      const rows = (await db('signing_keys').select('*').orderBy(newestFirst)) as unknown[];
      return rows.map(parse);
    },
    async findActive(alg) {
      const row: unknown = await db('signing_keys')
        .where(alg === undefined ? { status: 'active' } : { status: 'active', alg })
        .orderBy(newestFirst)
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async setStatus(kid, status, at = new Date()) {
      const changes: Record<string, unknown> = { status };
      if (status === 'active') changes['activates_at'] = at;
      if (status === 'retiring' || status === 'retired') changes['retires_at'] = at;
      return (await db('signing_keys').where({ kid }).update(changes)) > 0;
    },
    async transition(kid, from, to, times = {}) {
      const changes: Record<string, unknown> = { status: to };
      if (times.activatesAt !== undefined) changes['activates_at'] = times.activatesAt;
      if (times.retiresAt !== undefined) changes['retires_at'] = times.retiresAt;
      return (await db('signing_keys').where({ kid, status: from }).update(changes)) > 0;
    },
  };
}
