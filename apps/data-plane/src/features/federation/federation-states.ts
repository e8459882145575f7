import { createHash, randomBytes } from 'node:crypto';
import type { FederationStateKind } from '@hellojohn/dal';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';
import { z } from 'zod';
import type { TenantContext } from '../../tenancy/tenant-context';

/** Long enough to sign in at the provider (and find a password); short enough to be useless stolen. */
const STATE_TTL_MS = 10 * 60_000;

const sha256hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** 256 bits, base64url: the `state` sent upstream, and a pending link's handle. */
export const newHandle = (): string => randomBytes(32).toString('base64url');

/** An upstream round trip: the hosted login's transaction and the checks of the callback. */
const UpstreamState = z.object({
  tx: z.string(),
  nonce: z.string(),
  code_verifier: z.string(),
  redirect_uri: z.string(),
});

/** A first federated sign-in waiting for the existing account's password before it links. */
const PendingLink = z.object({
  tx: z.string(),
  user_id: z.string(),
  email: z.string(),
  subject: z.string(),
  upstream_email: z.string().nullable(),
  tokens_sealed: z.string().nullable(),
});

const schemas = { upstream: UpstreamState, link: PendingLink } as const;
type Content<K extends FederationStateKind> = z.output<(typeof schemas)[K]>;

export interface FederationStates {
  /** Stores `content` under a new handle and returns the handle (for `state` or a form field). */
  create<K extends FederationStateKind>(
    tenant: TenantContext,
    kind: K,
    providerId: string,
    content: Content<K>,
  ): Promise<string>;
  /**
   * Spends the state `handle` names, once; undefined when unknown, spent, expired, of another
   * provider, or not opened by this tenant's key.
   */
  consume<K extends FederationStateKind>(
    tenant: TenantContext,
    kind: K,
    providerId: string,
    handle: string,
  ): Promise<Content<K> | undefined>;
}

/**
 * The server side of federated sign-ins, in the tenant's database so any replica serves the
 * callback: known by the SHA-256 of its handle, its content sealed (AES-GCM, a subkey of the
 * master key) and bound by the AAD to the tenant, kind, provider and handle.
 *
 * @example
 * const state = await states.create(tenant, 'upstream', provider.id, { tx, nonce, ... });
 * const round = await states.consume(tenant, 'upstream', provider.id, query.state);
 */
export function createFederationStates(key: Buffer): FederationStates {
  const aadOf = (tenant: TenantContext, kind: string, providerId: string, hash: string) =>
    `federation:${tenant.config.id}:${kind}:${providerId}:${hash}`;
  return {
    async create(tenant, kind, providerId, content) {
      const handle = newHandle();
      const hash = sha256hex(handle);
      await tenant.db.federationStates.create({
        handleHash: hash,
        kind,
        providerId,
        sealed: encryptSecret(key, JSON.stringify(content), aadOf(tenant, kind, providerId, hash)),
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      });
      return handle;
    },
    async consume(tenant, kind, providerId, handle) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(handle)) return undefined;
      const hash = sha256hex(handle);
      const row = await tenant.db.federationStates.consume(hash, kind, new Date());
      if (!row || row.providerId !== providerId) return undefined;
      try {
        const plain = decryptSecret(key, row.sealed, aadOf(tenant, kind, providerId, hash));
        return schemas[kind].parse(JSON.parse(plain.toString('utf8'))) as Content<typeof kind>;
      } catch {
        return undefined;
      }
    },
  };
}
