import { randomUUID } from 'node:crypto';
import type { ApiKeyRow, GlobalDb } from '@hellojohn/dal';
import { createEvent, PLATFORM_TENANT_ID } from '@hellojohn/events';
import { AppError } from '@hellojohn/http';
import { generateOpaqueSecret, safeEqual, sha256Hex } from '@hellojohn/tokens';
import type { z } from 'zod';
import type { Actor } from '../../guards/actor';
import { fetchPage } from '../../shared/fetch-page';
import type { ApiKey, CreateApiKeyBody, VerifiedApiKey } from './api-keys.schemas';
import { grantTenantsView, resolveGrantTenants } from './resolve-grant-tenants';

type ApiKeyView = z.input<typeof ApiKey>;

const KEY_PREFIX = 'hjk_';
/** 32 random bytes in base64url: what `generateOpaqueSecret(KEY_PREFIX, 32)` mints. */
const KEY_PATTERN = /^hjk_[A-Za-z0-9_-]{43}$/;
/** A hot key records its use at most this often, so it does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiKeyService {
  create(
    input: z.output<typeof CreateApiKeyBody>,
    actor: Actor,
  ): Promise<ApiKeyView & { key: string }>;
  list(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ data: ApiKeyView[]; next_cursor: string | null }>;
  /** Revokes a key on both planes; 404 `api_key_not_found` when unknown or already revoked. */
  revoke(id: string): Promise<void>;
  /** A new secret; the old one keeps working `overlapSeconds` more (0: stops at once). */
  rotate(id: string, overlapSeconds: number): Promise<ApiKeyView & { key: string }>;
  /** The actor a presented key stands for; 401 `invalid_token` when it is not a live key. */
  authenticate(key: string, ip: string | null): Promise<Actor>;
  /** The data plane's check of a key (internal API); undefined when it is not a live key. */
  verify(key: string, ip: string | null): Promise<z.input<typeof VerifiedApiKey> | undefined>;
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    tenants: grantTenantsView(row.tenants),
    last4: row.last4,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    expires_at: row.expiresAt?.toISOString() ?? null,
    previous_expires_at: row.previousExpiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    last_used_ip: row.lastUsedIp,
  };
}

const earliest = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

export function createApiKeyService(deps: {
  db: GlobalDb;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): ApiKeyService {
  const { db, onOutboxWrite } = deps;

  async function revokedEvent(tx: GlobalDb, id: string): Promise<void> {
    const event = createEvent('api_key.revoked', PLATFORM_TENANT_ID, { api_key_id: id });
    await tx.outbox.add({ id: event.id, type: event.type, tenantId: null, payload: event });
  }

  /** The live key behind `key` and when this secret stops working; undefined if none. */
  async function lookup(
    key: string,
    ip: string | null,
  ): Promise<{ row: ApiKeyRow; validUntil: Date | null } | undefined> {
    if (!KEY_PATTERN.test(key)) return undefined;
    const hash = sha256Hex(key);
    const row = await db.apiKeys.findByHash(hash);
    if (!row || row.revokedAt !== null) return undefined;
    const now = new Date();
    // The lookup matched one of two columns; which one decides the secret's lifetime.
    const current = safeEqual(row.keyHash, hash);
    const validUntil = current ? row.expiresAt : earliest(row.expiresAt, row.previousExpiresAt);
    if (!current && row.previousExpiresAt === null) return undefined;
    if (validUntil !== null && validUntil <= now) return undefined;
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
      await db.apiKeys.touch(row.id, now, ip);
    }
    return { row, validUntil };
  }

  function mint(): { key: string; hash: string; last4: string } {
    const { token, hash } = generateOpaqueSecret(KEY_PREFIX, 32);
    return { key: token, hash, last4: token.slice(-4) };
  }

  return {
    async create(input, actor) {
      const tenants = await resolveGrantTenants(db, input.tenants);
      const secret = mint();
      const row = await db.apiKeys.create({
        id: randomUUID(),
        name: input.name,
        role: input.role,
        tenants,
        keyHash: secret.hash,
        last4: secret.last4,
        createdBy: actor.label,
        expiresAt: input.expires_at === undefined ? null : new Date(input.expires_at),
      });
      return { ...toView(row), key: secret.key };
    },

    async list(page) {
      const result = await fetchPage(() => db.apiKeys.list(page));
      return { data: result.rows.map(toView), next_cursor: result.nextCursor };
    },

    async revoke(id) {
      const revoked = await db.transaction(async (tx) => {
        if (!(await tx.apiKeys.revoke(id, new Date()))) return false;
        await revokedEvent(tx, id);
        return true;
      });
      if (!revoked) throw new AppError('api_key_not_found');
      onOutboxWrite();
    },

    async rotate(id, overlapSeconds) {
      const secret = mint();
      const previousExpiresAt =
        overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
      const row = await db.transaction(async (tx) => {
        const rotated = await tx.apiKeys.rotate(id, {
          keyHash: secret.hash,
          last4: secret.last4,
          previousExpiresAt,
        });
        if (!rotated) return undefined;
        // Without an overlap the old secret is dead now: replicas drop what they cached of it.
        if (previousExpiresAt === null) await revokedEvent(tx, id);
        return tx.apiKeys.findById(id);
      });
      if (!row) throw new AppError('api_key_not_found');
      onOutboxWrite();
      return { ...toView(row), key: secret.key };
    },

    async authenticate(key, ip) {
      const found = await lookup(key, ip);
      if (!found) {
        throw new AppError('invalid_token', 'The API key is invalid, expired or revoked.', {
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
      return {
        type: 'api_key',
        id: found.row.id,
        label: `api_key:${found.row.id}`,
        role: found.row.role,
        tenants: found.row.tenants,
        sessionId: null,
      };
    },

    async verify(key, ip) {
      const found = await lookup(key, ip);
      if (!found) return undefined;
      return {
        id: found.row.id,
        role: found.row.role,
        tenants: grantTenantsView(found.row.tenants),
        valid_until: found.validUntil?.toISOString() ?? null,
      };
    },
  };
}
