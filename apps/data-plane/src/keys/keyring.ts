import type { SigningKeyRow, TenantDb } from '@hellojohn/dal';
import {
  buildJwks,
  generateSigningKey,
  loadPrivateKey,
  parsePublicJwk,
  type AccessTokenAlg,
  type Jwks,
  type PublicJwk,
  type SigningKey,
} from '@hellojohn/tokens';
import {
  activationOf,
  KEYRING_CACHE_SECONDS,
  retirementOf,
  TENANT_KEY_ALGS,
  type TenantKeyAlg,
} from './key-schedule';
import type { KeyPairPool } from './key-pair-pool';
import { applyDueTransitions, nextTransitionAt } from './key-transitions';

const keyAad = (tenantId: string) => (kid: string) => `tenant:${tenantId}:signing-key:${kid}`;

interface CachedKeys {
  jwks: Jwks;
  /** The active key per algorithm (key-schedule.ts says which signs what). */
  signing: Partial<Record<TenantKeyAlg, SigningKey>>;
  loadedAt: number;
  /** The cache ends at its age limit or at the next key transition, whichever comes first. */
  validUntil: number;
}

/** What a rotation did. */
export interface RotationResult {
  /** The `next` keys, one per algorithm (existing ones when a rotation was already pending). */
  kids: string[];
  activatesAt: Date;
  /** False when every algorithm already had a pending `next` key (a repeated request). */
  created: boolean;
}

export interface Keyring {
  /**
   * Creates an active key of every algorithm (EdDSA, RS256, ES256) that has none: a new tenant's
   * first keys, or those added since it was provisioned. Returns the active kids.
   */
  ensureKeys(db: TenantDb): Promise<Record<TenantKeyAlg, string>>;
  /**
   * The active key of `alg` (default EdDSA), which signs access tokens. A tenant provisioned
   * before `alg` existed gets its key here on first use, if `ensureKeys` has not run since.
   */
  signingKey(db: TenantDb, alg?: AccessTokenAlg): Promise<SigningKey>;
  /** The active RS256 key, which signs OIDC ID tokens. */
  idTokenKey(db: TenantDb): Promise<SigningKey>;
  /** Published keys: `next`, `active`, and `retiring` until their `retires_at`. */
  jwks(db: TenantDb): Promise<Jwks>;
  /** A published key by kid, reloading once if it is unknown (a key rotated in elsewhere). */
  publicKey(db: TenantDb, kid: string): Promise<PublicJwk | undefined>;
  /**
   * Starts a rotation: a `next` key per algorithm, published at once and signing from
   * `activates_at`; the keys it replaces are planned to retire `tokenTtlSeconds` + grace after
   * that. A pending rotation is not doubled (repeated requests are idempotent).
   */
  rotate(db: TenantDb, options: { tokenTtlSeconds: number }): Promise<RotationResult>;
  /** The tenant's keys with due transitions applied (for sweeps, tests and operators). */
  keys(db: TenantDb): Promise<SigningKeyRow[]>;
  invalidate(tenantId: string): void;
  /** Forgets every tenant (after a broker reconnect, when invalidations may have been missed). */
  clear(): void;
}

/**
 * Per-tenant signing keys, read from the tenant's own database and cached in memory. Key state
 * moves forward lazily: whoever reads the keys after a transition time applies it (see
 * key-transitions.ts), so no scheduler is needed for correctness.
 */
export function createKeyring(options: {
  masterKey: Buffer;
  cacheMs?: number;
  now?: () => Date;
  /** Pre-generated key pairs (RSA is slow to make); default: generate each key when needed. */
  keyPairs?: KeyPairPool;
}): Keyring {
  const cacheMs = options.cacheMs ?? KEYRING_CACHE_SECONDS * 1000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, CachedKeys>();

  async function currentRows(db: TenantDb): Promise<SigningKeyRow[]> {
    const rows = await db.signingKeys.listAll();
    return (await applyDueTransitions(db, rows, now())) ? db.signingKeys.listAll() : rows;
  }

  async function load(db: TenantDb): Promise<CachedKeys> {
    const rows = await currentRows(db);
    const at = now();
    const published = rows.filter(
      (row) =>
        row.status === 'next' ||
        row.status === 'active' ||
        (row.status === 'retiring' && (row.retiresAt?.getTime() ?? 0) > at.getTime()),
    );
    const signing: CachedKeys['signing'] = {};
    for (const alg of TENANT_KEY_ALGS) {
      // listAll is newest first: the newest active key of an algorithm signs.
      const active = rows.find((row) => row.status === 'active' && row.alg === alg);
      if (active) {
        signing[alg] = await loadPrivateKey(
          options.masterKey,
          active,
          keyAad(db.tenantId)(active.kid),
        );
      }
    }
    const loadedAt = at.getTime();
    const entry = {
      jwks: buildJwks(published.map((row) => parsePublicJwk(row.publicJwk))),
      signing,
      loadedAt,
      validUntil: Math.min(loadedAt + cacheMs, nextTransitionAt(rows, at)),
    };
    cache.set(db.tenantId, entry);
    return entry;
  }

  async function get(db: TenantDb, fresh = false): Promise<CachedKeys> {
    const entry = cache.get(db.tenantId);
    if (!fresh && entry && now().getTime() < entry.validUntil) return entry;
    return load(db);
  }

  async function newKey(db: TenantDb, alg: TenantKeyAlg) {
    const keyPair = await options.keyPairs?.take(alg);
    return generateSigningKey(options.masterKey, {
      alg,
      aad: keyAad(db.tenantId),
      ...(keyPair ? { keyPair } : {}),
    });
  }

  /**
   * Inserts an active `alg` key unless one exists. Replicas racing here may both insert (kids are
   * key thumbprints, so nothing collides): both keys stay published and valid, the newest signs
   * (`load`), and the next rotation retires both. Callers sharing a handle share one creation;
   * no caller waits on another handle's, since that one may need the connection a transaction
   * of the waiting caller holds (SQLite has one).
   */
  const creating = new WeakMap<TenantDb, Map<TenantKeyAlg, Promise<string>>>();
  function createActive(db: TenantDb, alg: TenantKeyAlg): Promise<string> {
    let slots = creating.get(db);
    if (slots === undefined) {
      slots = new Map();
      creating.set(db, slots);
    }
    const slot = slots;
    let pending = slot.get(alg);
    if (pending === undefined) {
      pending = (async () => {
        const existing = await db.signingKeys.findActive(alg);
        if (existing) return existing.kid;
        const key = await newKey(db, alg);
        await db.signingKeys.insert({
          kid: key.kid,
          alg: key.alg,
          use: 'sig',
          publicJwk: { ...key.publicJwk },
          privateKeyEncrypted: key.privateKeyEncrypted,
          status: 'active',
          activatesAt: now(),
          retiresAt: null,
        });
        return key.kid;
      })().finally(() => {
        slot.delete(alg);
        cache.delete(db.tenantId);
      });
      slot.set(alg, pending);
    }
    return pending;
  }

  async function activeKey(db: TenantDb, alg: TenantKeyAlg): Promise<SigningKey> {
    let key = (await get(db)).signing[alg] ?? (await get(db, true)).signing[alg];
    if (!key) {
      await createActive(db, alg);
      key = (await get(db, true)).signing[alg];
    }
    if (!key) throw new Error(`tenant ${db.tenantId} has no active ${alg} key`);
    return key;
  }

  return {
    async ensureKeys(db) {
      // Side by side: one algorithm's key generation overlaps another's insert.
      const [EdDSA, RS256, ES256] = await Promise.all([
        createActive(db, 'EdDSA'),
        createActive(db, 'RS256'),
        createActive(db, 'ES256'),
      ]);
      return { EdDSA, RS256, ES256 };
    },
    signingKey: (db, alg = 'EdDSA') => activeKey(db, alg),
    idTokenKey: (db) => activeKey(db, 'RS256'),
    async jwks(db) {
      return (await get(db)).jwks;
    },
    async publicKey(db, kid) {
      const entry = await get(db);
      const known = entry.jwks.keys.find((key) => key.kid === kid);
      // Reload for an unknown kid at most every few seconds, so random kids cannot hammer the DB.
      if (known || now().getTime() - entry.loadedAt < 5_000) return known;
      return (await get(db, true)).jwks.keys.find((key) => key.kid === kid);
    },
    async rotate(db, { tokenTtlSeconds }) {
      const rows = await currentRows(db);
      const at = now();
      let activatesAt = activationOf(at);
      const kids: string[] = [];
      let created = false;
      for (const alg of TENANT_KEY_ALGS) {
        const pending = rows.find((row) => row.status === 'next' && row.alg === alg);
        if (pending) {
          kids.push(pending.kid);
          activatesAt = pending.activatesAt ?? activatesAt;
          continue;
        }
        const key = await newKey(db, alg);
        const replaced = rows.filter((row) => row.status === 'active' && row.alg === alg);
        // One transaction: the new key and the retirement plan of the one it replaces.
        await db.transaction(async (tx) => {
          await tx.signingKeys.insert({
            kid: key.kid,
            alg: key.alg,
            use: 'sig',
            publicJwk: { ...key.publicJwk },
            privateKeyEncrypted: key.privateKeyEncrypted,
            status: 'next',
            activatesAt,
            retiresAt: null,
          });
          for (const old of replaced) {
            await tx.signingKeys.transition(old.kid, 'active', 'active', {
              retiresAt: retirementOf(activatesAt, tokenTtlSeconds),
            });
          }
        });
        kids.push(key.kid);
        created = true;
      }
      cache.delete(db.tenantId);
      return { kids, activatesAt, created };
    },
    keys: currentRows,
    invalidate(tenantId) {
      cache.delete(tenantId);
    },
    clear() {
      cache.clear();
    },
  };
}
