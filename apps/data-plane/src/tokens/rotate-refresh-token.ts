import { randomUUID } from 'node:crypto';
import type { RefreshTokenRow, SessionRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import {
  decryptSecret,
  encryptSecret,
  generateRefreshToken,
  hashRefreshToken,
  safeEqual,
} from '@hellojohn/tokens';
import { audit } from '../audit/audit';
import { revokeSessionRecorded } from '../outbox';
import type { RequestMeta } from '../audit/request-meta';
import type { TenantContext } from '../tenancy/tenant-context';
import type { SessionTokens, TokenPair } from './session-tokens';

const successorAad = (tenantId: string, successorId: string): string =>
  `tenant:${tenantId}:refresh:${successorId}`;

/**
 * Whom a refresh token must have been issued to: `null` for first-party sessions
 * (`/v1/auth/refresh`), else an OAuth client's id. A token of another party is
 * `refresh_token_invalid` before anything is spent, so presenting it changes nothing.
 */
export interface RefreshBinding {
  clientId: string | null;
  /** The refresh TTL of sliding sessions (a client's `refresh_token_ttl`); default the tenant's. */
  refreshTtlSeconds?: number;
  /**
   * More checks of the (live, correctly bound) session before the token is spent, e.g. that a
   * narrowed scope is within the granted one; throwing leaves the token unspent.
   */
  accept?: (session: SessionRow) => void;
  /** `accept` for checks that read the database (e.g. an organization's membership). */
  check?: (session: SessionRow) => Promise<void>;
}

/** What a rotation leaves: the live session and the refresh token now standing for it. */
export interface Rotated {
  session: SessionRow;
  refreshToken: string;
}

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2) and a reuse interval.
 *
 * Rotating seals the successor's plaintext with the master key into the spent token's row, in
 * the same conditional update that spends it. A request that loses the race (another tab
 * refreshed the same token a moment earlier) therefore reads the winner's successor and returns
 * it: concurrent refreshes all succeed and leave exactly one live token. Outside the interval,
 * or once the successor itself was spent, a spent token is reuse: the session is revoked.
 */
export function createRefreshRotation(deps: { tokens: SessionTokens; masterKey: Buffer }) {
  const { tokens, masterKey } = deps;

  function liveSession(session: SessionRow | undefined, now: Date): session is SessionRow {
    return session !== undefined && !session.revokedAt && session.expiresAt > now;
  }

  /**
   * Spends `presented`; undefined when another request spent it first. One DAL call: a single
   * statement on PostgreSQL, one transaction elsewhere (spend, successor, parent, session touch).
   */
  async function rotate(
    tenant: TenantContext,
    presented: RefreshTokenRow,
    session: SessionRow,
    now: Date,
    refreshTtlSeconds: number,
  ): Promise<string | undefined> {
    const policy = tenant.policy;
    const sliding = policy.refreshTokenMode === 'sliding';
    const expiresAt = sliding
      ? new Date(now.getTime() + refreshTtlSeconds * 1000)
      : session.expiresAt;
    const successorId = randomUUID();
    const generated = generateRefreshToken();
    const sealed =
      policy.refreshReuseIntervalSeconds > 0
        ? encryptSecret(masterKey, generated.token, successorAad(tenant.config.id, successorId))
        : null;
    const spent = await tenant.db.refreshTokens.rotate({
      presentedId: presented.id,
      // The parent's sealed copy of `presented` is useless once `presented` is spent.
      parentId: presented.parentId,
      successor: { id: successorId, sessionId: session.id, tokenHash: generated.hash, expiresAt },
      successorEncrypted: sealed,
      now,
      sessionExpiresAt: sliding ? expiresAt : undefined,
    });
    return spent ? generated.token : undefined;
  }

  /** Within the reuse interval, the live successor of a just-spent token; else undefined. */
  async function successorWithinInterval(
    tenant: TenantContext,
    spent: RefreshTokenRow,
    now: Date,
  ): Promise<string | undefined> {
    const intervalMs = tenant.policy.refreshReuseIntervalSeconds * 1000;
    if (!spent.usedAt || !spent.replacedBy || !spent.successorEncrypted) return undefined;
    if (now.getTime() - spent.usedAt.getTime() > intervalMs) return undefined;
    const successor = await tenant.db.refreshTokens.findById(spent.replacedBy);
    if (!successor || successor.usedAt || successor.revokedAt || successor.expiresAt <= now) {
      return undefined;
    }
    const token = decryptSecret(
      masterKey,
      spent.successorEncrypted,
      successorAad(tenant.config.id, successor.id),
    ).toString('utf8');
    // Belt and braces: the sealed value must be the token the successor row stands for.
    return safeEqual(hashRefreshToken(token), successor.tokenHash) ? token : undefined;
  }

  /**
   * Spends `refreshToken` for its successor. Throws `refresh_token_invalid` (unknown, expired,
   * revoked, dead session, another party's) or `refresh_token_reused` (the session is revoked).
   */
  async function rotateToken(
    tenant: TenantContext,
    refreshToken: string,
    meta: RequestMeta,
    binding: RefreshBinding,
  ): Promise<Rotated> {
    const db = tenant.db;
    const now = new Date();
    // The token and its session in one read: both are needed before anything is spent.
    const found = await db.refreshTokens.findWithSession(hashRefreshToken(refreshToken));
    let presented = found?.token;
    if (!presented || presented.expiresAt <= now || presented.revokedAt) {
      throw new AppError('refresh_token_invalid');
    }
    const session = found?.session;
    if (!liveSession(session, now)) throw new AppError('refresh_token_invalid');
    // Checked before spending: another client's attempt neither rotates nor counts as reuse.
    if (session.clientId !== binding.clientId) throw new AppError('refresh_token_invalid');
    binding.accept?.(session);
    await binding.check?.(session);
    const ttl = binding.refreshTtlSeconds ?? tenant.policy.refreshTokenTtlSeconds;

    let token = presented.usedAt ? undefined : await rotate(tenant, presented, session, now, ttl);
    if (token === undefined) {
      // Spent (now or earlier). Read it again outside any transaction: the winner has committed.
      presented = (await db.refreshTokens.findById(presented.id)) ?? presented;
      token = await successorWithinInterval(tenant, presented, now);
      if (token === undefined) {
        await revokeSessionRecorded(db, session, 'refresh_token_reused');
        if (presented.successorEncrypted) await db.refreshTokens.clearSuccessor(presented.id);
        await audit(db, meta, {
          action: 'refresh_token.reused',
          outcome: 'denied',
          userId: session.userId,
          details: { session_id: session.id },
        });
        throw new AppError('refresh_token_reused');
      }
      await db.sessions.touch(session.id, now);
    }
    await audit(db, meta, {
      action: 'session.refreshed',
      outcome: 'success',
      userId: session.userId,
      details: {
        session_id: session.id,
        ...(session.clientId ? { client_id: session.clientId } : {}),
      },
    });
    return { session, refreshToken: token };
  }

  return {
    rotate: rotateToken,
    /**
     * First-party refresh (`/v1/auth/refresh`): OAuth clients' tokens are refused here.
     * `organizationId` switches the session's active organization (null: none; undefined: keep
     * it); a non-member is refused with `not_organization_member` before the token is spent
     * (docs/organizations.md).
     */
    async refresh(
      tenant: TenantContext,
      refreshToken: string,
      meta: RequestMeta,
      organizationId?: string | null,
    ): Promise<TokenPair> {
      const { session, refreshToken: token } = await rotateToken(tenant, refreshToken, meta, {
        clientId: null,
        check: (live) => checkMembership(tenant, live, organizationId, meta),
      });
      let active = session.organizationId;
      if (organizationId !== undefined && organizationId !== active) {
        await tenant.db.sessions.setOrganization(session.id, organizationId);
        active = organizationId;
        await audit(tenant.db, meta, {
          action: 'organization.switched',
          outcome: 'success',
          userId: session.userId,
          target: organizationId,
          details: { session_id: session.id },
        });
      }
      // The refreshed access token repeats how the session was authenticated.
      return tokens.pair(
        tenant.db,
        tenant,
        session.userId,
        session.id,
        token,
        { amr: session.amr, acr: session.acr },
        active,
      );
    },
  };
}

/** Refuses switching to an organization the session's user is not a member of. */
async function checkMembership(
  tenant: TenantContext,
  session: SessionRow,
  organizationId: string | null | undefined,
  meta: RequestMeta,
): Promise<void> {
  if (typeof organizationId !== 'string') return;
  if (await tenant.db.memberships.find(organizationId, session.userId)) return;
  await audit(tenant.db, meta, {
    action: 'organization.switched',
    outcome: 'denied',
    userId: session.userId,
    target: organizationId,
    details: { reason: 'not_member' },
  });
  throw new AppError(
    'not_organization_member',
    'You are not a member of this organization (body.organization_id).',
  );
}

export type RefreshRotation = ReturnType<typeof createRefreshRotation>;
