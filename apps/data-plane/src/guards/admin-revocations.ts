import { AppError, type Logger } from '@hellojohn/http';
import type { ControlPlaneOperatorsClient } from '../tenancy/control-plane-client';

/** Retry a failed load at most this often (requests wait for it only before the first success). */
const RELOAD_EVERY_MS = 5_000;

/**
 * Which CP admin access tokens are void although their signature is good: the admin was deleted,
 * disabled or re-granted (tokens issued up to then), or one session ended. Fed by `admin.revoked`
 * events; loaded from the control plane at start and after a broker gap (events may have been
 * missed then). Until a first load succeeds, admin tokens are refused with 503 (fail closed).
 */
export interface AdminRevocations {
  /** Applies one revocation (an `admin.revoked` event). */
  revoke(adminId: string, sessionId: string | undefined, revokedAt: Date): void;
  /** Throws 401 `invalid_token` for a revoked token, 503 while nothing could be loaded yet. */
  check(claims: { sub: string; sid?: string | undefined; iat: number }): Promise<void>;
  /** Reloads from the control plane in the background (after a broker reconnect). */
  clear(): void;
  /** Loads from the control plane; false (logged) when it cannot be reached. */
  load(): Promise<boolean>;
}

export function createAdminRevocations(options: {
  client: ControlPlaneOperatorsClient;
  /** The longest a CP admin token lives: older revocations no longer matter. */
  tokenTtlMs: number;
  logger: Logger;
  now?: () => number;
}): AdminRevocations {
  const now = options.now ?? Date.now;
  const byAdmin = new Map<string, number>();
  const bySession = new Map<string, number>();
  let loaded = false;
  let lastAttempt = -Infinity;
  let inflight: Promise<boolean> | undefined;

  function prune(): void {
    const horizon = now() - options.tokenTtlMs - 60_000;
    for (const map of [byAdmin, bySession]) {
      for (const [id, at] of map) if (at < horizon) map.delete(id);
    }
  }

  function apply(adminId: string, sessionId: string | undefined | null, at: number): void {
    if (sessionId) bySession.set(sessionId, Math.max(bySession.get(sessionId) ?? 0, at));
    else byAdmin.set(adminId, Math.max(byAdmin.get(adminId) ?? 0, at));
  }

  function load(): Promise<boolean> {
    inflight ??= (async () => {
      lastAttempt = now();
      try {
        const since = new Date(now() - options.tokenTtlMs - 60_000);
        for (const row of await options.client.listAdminRevocations(since)) {
          apply(row.admin_id, row.session_id, Date.parse(row.revoked_at));
        }
        loaded = true;
        prune();
        return true;
      } catch (error) {
        options.logger.warn({ err: error }, 'admin revocations could not be loaded; will retry');
        return false;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  return {
    revoke(adminId, sessionId, revokedAt) {
      apply(adminId, sessionId, revokedAt.getTime());
      prune();
    },
    async check(claims) {
      if (!loaded && (now() - lastAttempt >= RELOAD_EVERY_MS || inflight)) await load();
      if (!loaded) {
        throw new AppError('service_unavailable', 'Admin tokens cannot be checked right now.', {
          headers: { 'Retry-After': '5' },
        });
      }
      // `iat` has whole seconds: a token from the second of the revocation counts as before it.
      const issuedAt = claims.iat * 1000;
      const adminCut = byAdmin.get(claims.sub);
      const revoked =
        (adminCut !== undefined && issuedAt <= adminCut) ||
        (claims.sid !== undefined && bySession.has(claims.sid));
      if (revoked) {
        throw new AppError('invalid_token', 'This admin token was revoked.', {
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
    },
    clear() {
      void load();
    },
    load,
  };
}
