import type { TenantDb } from '@hellojohn/dal';
import {
  buildJwks,
  generateSigningKey,
  loadPrivateKey,
  parsePublicJwk,
  type Jwks,
  type PublicJwk,
  type SigningKey,
} from '@hellojohn/tokens';

const keyAad = (tenantId: string) => (kid: string) => `tenant:${tenantId}:signing-key:${kid}`;

/** Key states published in the JWKS: the next key, the signing key, and keys still verifying. */
const PUBLISHED = new Set(['next', 'active', 'retiring']);

interface CachedKeys {
  jwks: Jwks;
  signing: SigningKey | undefined;
  loadedAt: number;
}

export interface Keyring {
  /** Creates the tenant's first Ed25519 key unless an active one exists; returns its kid. */
  ensureActiveKey(db: TenantDb): Promise<string>;
  signingKey(db: TenantDb): Promise<SigningKey>;
  jwks(db: TenantDb): Promise<Jwks>;
  /** A published key by kid, reloading once if it is unknown (a key rotated in elsewhere). */
  publicKey(db: TenantDb, kid: string): Promise<PublicJwk | undefined>;
  invalidate(tenantId: string): void;
}

/** Per-tenant signing keys, read from the tenant's own database and cached in memory. */
export function createKeyring(options: { masterKey: Buffer; cacheMs?: number }): Keyring {
  const cacheMs = options.cacheMs ?? 60_000;
  const cache = new Map<string, CachedKeys>();

  async function load(db: TenantDb): Promise<CachedKeys> {
    const rows = await db.signingKeys.listAll();
    const published = rows.filter((row) => PUBLISHED.has(row.status));
    const active = rows.find((row) => row.status === 'active');
    const signing = active
      ? await loadPrivateKey(options.masterKey, active, keyAad(db.tenantId)(active.kid))
      : undefined;
    const entry = {
      jwks: buildJwks(published.map((row) => parsePublicJwk(row.publicJwk))),
      signing,
      loadedAt: Date.now(),
    };
    cache.set(db.tenantId, entry);
    return entry;
  }

  async function get(db: TenantDb, fresh = false): Promise<CachedKeys> {
    const entry = cache.get(db.tenantId);
    if (!fresh && entry && Date.now() - entry.loadedAt < cacheMs) return entry;
    return load(db);
  }

  return {
    async ensureActiveKey(db) {
      const existing = await db.signingKeys.findActive();
      if (existing) return existing.kid;
      const key = await generateSigningKey(options.masterKey, { aad: keyAad(db.tenantId) });
      await db.signingKeys.insert({
        kid: key.kid,
        alg: key.alg,
        use: 'sig',
        publicJwk: { ...key.publicJwk },
        privateKeyEncrypted: key.privateKeyEncrypted,
        status: 'active',
        activatesAt: new Date(),
        retiresAt: null,
      });
      cache.delete(db.tenantId);
      return key.kid;
    },
    async signingKey(db) {
      const entry = await get(db);
      const signing = entry.signing ?? (await get(db, true)).signing;
      if (!signing) throw new Error(`tenant ${db.tenantId} has no active signing key`);
      return signing;
    },
    async jwks(db) {
      return (await get(db)).jwks;
    },
    async publicKey(db, kid) {
      const entry = await get(db);
      const known = entry.jwks.keys.find((key) => key.kid === kid);
      // Reload for an unknown kid at most every few seconds, so random kids cannot hammer the DB.
      if (known || Date.now() - entry.loadedAt < 5_000) return known;
      return (await get(db, true)).jwks.keys.find((key) => key.kid === kid);
    },
    invalidate(tenantId) {
      cache.delete(tenantId);
    },
  };
}
