import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJson, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';
import { ADMIN_ROLES, type AdminRole } from './cp-admin.repository';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ADMIN_ROLES),
    tenants: dbJson.pipe(z.array(z.string())).nullable(),
    key_hash: z.string(),
    last4: z.string(),
    previous_key_hash: z.string().nullable(),
    previous_expires_at: dbDateOrNull,
    created_by: z.string().nullable(),
    created_at: dbDate,
    expires_at: dbDateOrNull,
    revoked_at: dbDateOrNull,
    last_used_at: dbDateOrNull,
    last_used_ip: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    tenants: r.tenants,
    keyHash: r.key_hash,
    last4: r.last4,
    previousKeyHash: r.previous_key_hash,
    previousExpiresAt: r.previous_expires_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
  }));

/** A control-plane API key (its secrets only as SHA-256 hex). */
export type ApiKeyRow = z.output<typeof apiKeySchema>;

/** What {@link ApiKeyRepository.create} needs. */
export interface NewApiKey {
  id: string;
  name: string;
  role: AdminRole;
  /** Tenant ids the grant covers; null: every tenant. */
  tenants: string[] | null;
  keyHash: string;
  last4: string;
  createdBy: string | null;
  expiresAt: Date | null;
}

/** Machine credentials of operators (`hjk_...`). */
export interface ApiKeyRepository {
  create(key: NewApiKey): Promise<ApiKeyRow>;
  findById(id: string): Promise<ApiKeyRow | undefined>;
  /** The key whose current or previous secret hashes to `hash` (validity is the caller's call). */
  findByHash(hash: string): Promise<ApiKeyRow | undefined>;
  /** Keys not revoked, oldest first. */
  list(request: PageRequest): Promise<Page<ApiKeyRow>>;
  /** Marks the key revoked; false when it does not exist or already was. */
  revoke(id: string, at: Date): Promise<boolean>;
  /**
   * Makes `keyHash` the current secret; the old one stays valid until `previousExpiresAt` (or not
   * at all with null). False when the key does not exist or is revoked.
   */
  rotate(
    id: string,
    next: { keyHash: string; last4: string; previousExpiresAt: Date | null },
  ): Promise<boolean>;
  /** Records a use (the caller throttles). */
  touch(id: string, at: Date, ip: string | null): Promise<void>;
}

/** Builds the API key repository over a knex handle or transaction. */
export function createApiKeyRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): ApiKeyRepository {
  const parse = (row: unknown): ApiKeyRow => apiKeySchema.parse(row);
  const first = async (
    build: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<ApiKeyRow | undefined> => {
    const row: unknown = await build(db('cp_api_keys')).first();
    return row === undefined ? undefined : parse(row);
  };

  return {
    async create(key) {
      const raw = {
        id: key.id,
        name: key.name,
        role: key.role,
        tenants: key.tenants === null ? null : toJson(key.tenants),
        key_hash: key.keyHash,
        last4: key.last4,
        previous_key_hash: null,
        previous_expires_at: null,
        created_by: key.createdBy,
        created_at: new Date(),
        expires_at: key.expiresAt,
        revoked_at: null,
        last_used_at: null,
        last_used_ip: null,
      };
      try {
        await db('cp_api_keys').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findById: (id) => first((q) => q.where({ id })),
    findByHash: (hash) =>
      first((q) => q.where({ key_hash: hash }).orWhere({ previous_key_hash: hash })),
    list: (request) =>
      keysetPage(db('cp_api_keys').select('*').whereNull('revoked_at'), request, parse, {
        cursors,
      }),
    async revoke(id, at) {
      const count = await db('cp_api_keys')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
      return count > 0;
    },
    async rotate(id, next) {
      const current = await first((q) => q.where({ id }).whereNull('revoked_at'));
      if (!current) return false;
      const count = await db('cp_api_keys')
        .where({ id, key_hash: current.keyHash })
        .whereNull('revoked_at')
        .update({
          key_hash: next.keyHash,
          last4: next.last4,
          previous_key_hash: next.previousExpiresAt === null ? null : current.keyHash,
          previous_expires_at: next.previousExpiresAt,
        });
      return count > 0;
    },
    async touch(id, at, ip) {
      await db('cp_api_keys').where({ id }).update({ last_used_at: at, last_used_ip: ip });
    },
  };
}
