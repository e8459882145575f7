import { randomUUID } from 'node:crypto';
import { normalizeEmail, type AdminRow, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import {
  generateOpaqueSecret,
  generateRefreshToken,
  hashRefreshToken,
  sha256Hex,
  type PasswordHasher,
} from '@hellojohn/tokens';
import { noAdminSignInGuard, type AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import type { Actor } from '../../guards/actor';
import type { AdminTokens } from './admin-tokens';
import type { AdminTotpService } from './admin-totp.service';
import { revokeAdminTokens } from './revoke-admin-tokens';

/** An admin session lasts this long from sign-in, however often it refreshes (docs/api.md). */
const ADMIN_SESSION_TTL_SECONDS = 12 * 3600;
/** A password sign-in waits this long for its second factor. */
const MFA_TOKEN_TTL_SECONDS = 5 * 60;
const MFA_TOKEN_PREFIX = 'hjmfa_';

/** What sign-in and refresh answer. */
export interface AdminTokenPair {
  token: string;
  expiresIn: number;
  refreshToken: string;
}

/** A right password of an admin with an authenticator: the second step's token. */
export interface AdminMfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  expiresIn: number;
}

export interface AuthService {
  /**
   * Checks an admin's password and opens a session: an access token and a refresh token. The
   * sign-in guard may refuse the attempt first (429 `rate_limited`); `ip` is the client address
   * it counts per. A disabled or still invited admin gets the same answer as a wrong password.
   * An admin with a confirmed authenticator gets a challenge instead of tokens.
   */
  signIn(email: string, password: string, ip: string): Promise<AdminTokenPair | AdminMfaChallenge>;
  /**
   * Completes a challenged sign-in with a TOTP or recovery code: 401 `invalid_mfa_code` (the
   * challenge stays usable until it expires), or 401 `mfa_token_invalid` for an unknown,
   * expired or spent `mfa_token`.
   */
  verifyMfa(mfaToken: string, code: string, ip: string): Promise<AdminTokenPair & { actor: Actor }>;
  /**
   * Spends an invitation link: sets the invited admin's password and signs it in. 404
   * `invalid_invitation` when the token is unknown, expired, used or its admin disabled.
   */
  acceptInvitation(token: string, password: string): Promise<AdminTokenPair & { actor: Actor }>;
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
  /** The admins' authenticators. */
  totp: AdminTotpService;
}): AuthService {
  const { db, hasher, tokens, totp } = deps;
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

  async function openSession(admin: AdminRow, tx: GlobalDb = db) {
    const sessionId = randomUUID();
    await tx.adminSessions.createSession({
      id: sessionId,
      adminId: admin.id,
      expiresAt: new Date(Date.now() + ADMIN_SESSION_TTL_SECONDS * 1000),
    });
    return { ...(await pairFor(admin, sessionId, tx)), actor: actorOf(admin, sessionId) };
  }

  const invalidInvitation = (): AppError =>
    new AppError('invalid_invitation', 'The invitation link is invalid, expired or used.');

  return {
    async signIn(email, password, ip) {
      const emailKey = normalizeEmail(email);
      await guard.beforeAttempt(emailKey, ip);
      const admin = await db.admins.findByEmail(emailKey);
      // Always one bcrypt comparison (a dummy hash for an unknown email or an invited admin,
      // whose placeholder hash is not bcrypt): same time, same answer.
      const hash = admin?.invitedAt === null ? admin.passwordHash : undefined;
      const ok = await hasher.verify(password, hash);
      if (!admin || !ok || admin.disabledAt !== null) {
        await guard.onFailure(emailKey, ip);
        throw new AppError('invalid_credentials');
      }
      await guard.onSuccess(emailKey, ip);
      if (await totp.isEnrolled(admin.id)) {
        const challenge = generateOpaqueSecret(MFA_TOKEN_PREFIX);
        await db.adminMfa.addChallenge({
          id: randomUUID(),
          adminId: admin.id,
          tokenHash: challenge.hash,
          expiresAt: new Date(Date.now() + MFA_TOKEN_TTL_SECONDS * 1000),
        });
        return { mfaRequired: true, mfaToken: challenge.token, expiresIn: MFA_TOKEN_TTL_SECONDS };
      }
      return openSession(admin);
    },

    async verifyMfa(mfaToken, code, ip) {
      const now = new Date();
      const challenge = await db.adminMfa.findChallenge(sha256Hex(mfaToken));
      const admin = challenge && (await db.admins.findById(challenge.adminId));
      if (
        !challenge ||
        !admin ||
        challenge.usedAt !== null ||
        challenge.expiresAt <= now ||
        admin.disabledAt !== null
      ) {
        throw new AppError('mfa_token_invalid');
      }
      if (!(await totp.check(admin, code, ip))) throw new AppError('invalid_mfa_code');
      const opened = await db.transaction(async (tx) => {
        if (!(await tx.adminMfa.spendChallenge(challenge.id, new Date()))) return undefined;
        return openSession(admin, tx);
      });
      if (!opened) throw new AppError('mfa_token_invalid');
      return opened;
    },

    async acceptInvitation(token, password) {
      const invitation = await db.adminInvitations.findByTokenHash(sha256Hex(token));
      const admin = invitation && (await db.admins.findById(invitation.adminId));
      if (
        !invitation ||
        !admin ||
        invitation.usedAt !== null ||
        invitation.expiresAt <= new Date() ||
        admin.invitedAt === null ||
        admin.disabledAt !== null
      ) {
        throw invalidInvitation();
      }
      const passwordHash = await hasher.hash(password);
      const opened = await db.transaction(async (tx) => {
        // Both conditional: of two racing accepts, one sets the password, the other is refused.
        if (!(await tx.adminInvitations.spend(invitation.id, new Date()))) return undefined;
        if (!(await tx.admins.acceptInvitation(admin.id, passwordHash))) return undefined;
        return openSession({ ...admin, invitedAt: null, passwordHash }, tx);
      });
      if (!opened) throw invalidInvitation();
      return opened;
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
