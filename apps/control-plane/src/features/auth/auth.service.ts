import { randomUUID } from 'node:crypto';
import { normalizeEmail, type AdminRow, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { generateRefreshToken, hashRefreshToken, type PasswordHasher } from '@hellojohn/tokens';
import { noAdminSignInGuard, type AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import type { Actor } from '../../guards/actor';
import type { AdminTokens } from './admin-tokens';
import { revokeAdminTokens } from './revoke-admin-tokens';

/** An admin session lasts this long from sign-in, however often it refreshes (docs/api.md). */
const ADMIN_SESSION_TTL_SECONDS = 12 * 3600;

/** What sign-in and refresh answer. */
export interface AdminTokenPair {
  token: string;
  expiresIn: number;
  refreshToken: string;
}

export interface AuthService {
  /**
   * Checks an admin's password and opens a session: an access token and a refresh token. The
   * sign-in guard may refuse the attempt first (429 `rate_limited`); `ip` is the client address
   * it counts per. A disabled admin gets the same answer as a wrong password.
   */
  signIn(email: string, password: string, ip: string): Promise<AdminTokenPair>;
  /**
   * Spends a refresh token for a new pair. A spent one presented again revokes its session on
   * both planes (401 `refresh_token_reused`); anything else unusable is `refresh_token_invalid`.
   */
  refresh(refreshToken: string): Promise<AdminTokenPair & { actor: Actor }>;
  /** Ends a session (named by the caller's access token, or by a refresh token). */
  signOut(session: { sessionId: string } | { refreshToken: string }): Promise<void>;
  /** The admin an access token names, as an actor; 401 `invalid_token` if it is bad or gone. */
  authenticate(token: string): Promise<Actor>;
}

const actorOf = (admin: AdminRow, sessionId: string): Actor => ({
  type: 'admin',
  id: admin.id,
  label: admin.email,
  role: admin.role,
  tenants: admin.tenants,
  sessionId,
});

const invalidToken = (detail: string, cause?: unknown): AppError =>
  new AppError('invalid_token', detail, {
    cause,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

export function createAuthService(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  tokens: AdminTokens;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite?: () => void;
  /** Per-account sign-in limits (issue 15); none by default. */
  signInGuard?: AdminSignInGuard | undefined;
}): AuthService {
  const { db, hasher, tokens } = deps;
  const guard = deps.signInGuard ?? noAdminSignInGuard;
  const kick = deps.onOutboxWrite ?? (() => undefined);

  async function pairFor(admin: AdminRow, sessionId: string, tx: GlobalDb = db) {
    const generated = generateRefreshToken();
    await tx.adminSessions.addRefreshToken({
      id: randomUUID(),
      sessionId,
      tokenHash: generated.hash,
    });
    const { token, expiresIn } = await tokens.issue(admin, sessionId);
    return { token, expiresIn, refreshToken: generated.token };
  }

  async function endSession(sessionId: string, adminId: string): Promise<void> {
    const now = new Date();
    await db.transaction(async (tx) => {
      if (await tx.adminSessions.revokeSession(sessionId, now)) {
        await revokeAdminTokens(tx, adminId, sessionId, now);
      }
    });
    kick();
  }

  return {
    async signIn(email, password, ip) {
      const emailKey = normalizeEmail(email);
      await guard.beforeAttempt(emailKey, ip);
      const admin = await db.admins.findByEmail(emailKey);
      // Always one bcrypt comparison (a dummy hash for an unknown email): same time, same answer.
      const ok = await hasher.verify(password, admin?.passwordHash);
      if (!admin || !ok || admin.disabledAt !== null) {
        await guard.onFailure(emailKey, ip);
        throw new AppError('invalid_credentials');
      }
      await guard.onSuccess(emailKey, ip);
      const sessionId = randomUUID();
      await db.adminSessions.createSession({
        id: sessionId,
        adminId: admin.id,
        expiresAt: new Date(Date.now() + ADMIN_SESSION_TTL_SECONDS * 1000),
      });
      return pairFor(admin, sessionId);
    },

    async refresh(refreshToken) {
      const now = new Date();
      const presented = await db.adminSessions.findRefreshToken(hashRefreshToken(refreshToken));
      const session = presented && (await db.adminSessions.findSession(presented.sessionId));
      if (!presented || !session || session.revokedAt !== null || session.expiresAt <= now) {
        throw new AppError('refresh_token_invalid');
      }
      const admin = await db.admins.findById(session.adminId);
      if (!admin || admin.disabledAt !== null) throw new AppError('refresh_token_invalid');
      const pair = presented.usedAt
        ? undefined
        : await db.transaction(async (tx) => {
            if (!(await tx.adminSessions.spendRefreshToken(presented.id, now))) return undefined;
            return pairFor(admin, session.id, tx);
          });
      if (pair) return { ...pair, actor: actorOf(admin, session.id) };
      // RFC 9700 §4.14.2: a spent refresh token presented again means it leaked; end the session.
      await endSession(session.id, admin.id);
      throw new AppError('refresh_token_reused', 'The session was ended; sign in again.');
    },

    async signOut(target) {
      let sessionId: string;
      if ('sessionId' in target) {
        sessionId = target.sessionId;
      } else {
        const presented = await db.adminSessions.findRefreshToken(
          hashRefreshToken(target.refreshToken),
        );
        if (!presented) throw new AppError('refresh_token_invalid');
        sessionId = presented.sessionId;
      }
      const session = await db.adminSessions.findSession(sessionId);
      if (session) await endSession(session.id, session.adminId);
    },

    async authenticate(token) {
      let claims: Awaited<ReturnType<AdminTokens['verify']>>;
      try {
        claims = await tokens.verify(token);
      } catch (error) {
        throw invalidToken('The access token is invalid or expired.', error);
      }
      // Looked up on every request so a deleted or disabled admin, a changed grant or an ended
      // session takes effect at once on the control plane.
      const admin = await db.admins.findById(claims.sub);
      if (!admin || admin.disabledAt !== null) {
        throw invalidToken('The admin no longer exists or is disabled.');
      }
      const sessionId = claims.sid ?? null;
      if (sessionId === null) throw invalidToken('The access token names no session.');
      const session = await db.adminSessions.findSession(sessionId);
      if (!session || session.adminId !== admin.id || session.revokedAt !== null) {
        throw invalidToken('The session was ended.');
      }
      return actorOf(admin, sessionId);
    },
  };
}
