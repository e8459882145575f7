import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbJsonObject, toJson } from '../internal/columns';

const cpSigningKeySchema = z
  .object({
    kid: z.string(),
    alg: z.string(),
    public_jwk: dbJsonObject,
    private_key_encrypted: z.string(),
    status: z.enum(['active', 'retired']),
    created_at: dbDate,
  })
  .transform((r) => ({
    kid: r.kid,
    alg: r.alg,
    publicJwk: r.public_jwk,
    privateKeyEncrypted: r.private_key_encrypted,
    status: r.status,
    createdAt: r.created_at,
  }));

/** A key the control plane signs its admin tokens with. */
export type CpSigningKeyRow = z.output<typeof cpSigningKeySchema>;

/** What {@link CpSigningKeyRepository.insert} needs; `createdAt` defaults to now. */
export type NewCpSigningKey = Omit<CpSigningKeyRow, 'createdAt'> & { createdAt?: Date };

/** The control plane's own signing keys. */
export interface CpSigningKeyRepository {
  insert(key: NewCpSigningKey): Promise<CpSigningKeyRow>;
  /** Newest first. */
  listAll(): Promise<CpSigningKeyRow[]>;
  /** The newest active key. */
  findActive(): Promise<CpSigningKeyRow | undefined>;
  setStatus(kid: string, status: 'active' | 'retired'): Promise<boolean>;
}

/** Builds the control-plane signing-key repository over a knex handle or transaction. */
export function createCpSigningKeyRepository(db: Knex | Knex.Transaction): CpSigningKeyRepository {
  const parse = (row: unknown): CpSigningKeyRow => cpSigningKeySchema.parse(row);
  const newestFirst = [
    { column: 'created_at', order: 'desc' as const },
    { column: 'kid', order: 'desc' as const },
  ];
  return {
    async insert(key) {
      const raw = {
        kid: key.kid,
        alg: key.alg,
        public_jwk: toJson(key.publicJwk),
        private_key_encrypted: key.privateKeyEncrypted,
        status: key.status,
        created_at: key.createdAt ?? new Date(),
      };
      try {
        await db('cp_signing_keys').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async listAll() {
      const rows = (await db('cp_signing_keys').select('*').orderBy(newestFirst)) as unknown[];
      return rows.map(parse);
    },
    async findActive() {
      const row: unknown = await db('cp_signing_keys')
        .where({ status: 'active' })
        .orderBy(newestFirst)
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async setStatus(kid, status) {
      return (await db('cp_signing_keys').where({ kid }).update({ status })) > 0;
    },
  };
}
