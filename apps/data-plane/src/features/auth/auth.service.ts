import { randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail, type UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { hashRefreshToken, type PasswordHasher } from '@hellojohn/tokens';
import { noSignInGuard, type SignInGuard } from '../../abuse/sign-in-guard';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { createPasswordAuthenticator } from '../../credentials/authenticate-password';
import { checkPassword } from '../../credentials/check-password';
import type { TenantContext } from '../../tenancy/tenant-context';
import { createRefreshRotation } from '../../tokens/rotate-refresh-token';
import { singleFactor } from '../../tokens/authentication-context';
import type { SessionTokens, TokenPair } from '../../tokens/session-tokens';
import type { MfaChallengeView, MfaStepService } from '../mfa';
import { recordUserCreated, revokeSessionRecorded, revokeUserSessionsRecorded } from '../../outbox';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
}

/**
 * `created`: a new account and its first session. `accepted`: the tenant protects against
 * enumeration, so a new and a taken email get the same answer and no tokens; the client signs in.
 */
export type SignUpResult =
  { kind: 'created'; user: UserRow; tokens: TokenPair } | { kind: 'accepted' };

export interface AuthService {
  /** `locale`: of the verification mail, when the tenant requires verification. */
  signUp(
    tenant: TenantContext,
    input: SignUpInput,
    meta: RequestMeta,
    locale?: string,
  ): Promise<SignUpResult>;
  /** Tokens, or the MFA step when the user has a second factor (or the tenant requires one). */
  signIn(
    tenant: TenantContext,
    email: string,
    password: string,
    meta: RequestMeta,
  ): Promise<TokenPair | MfaChallengeView>;
  /** `organizationId` switches the session's active organization (docs/organizations.md). */
  refresh(
    tenant: TenantContext,
    refreshToken: string,
    meta?: RequestMeta,
    organizationId?: string | null,
  ): Promise<TokenPair>;
  /** Ends one session of the user (sign-out with a bearer token). */
  signOutSession(
    tenant: TenantContext,
    userId: string,
    sessionId: string,
    meta: RequestMeta,
  ): Promise<void>;
  /** Ends the session a refresh token belongs to; an unknown token is not an error (no oracle). */
  signOutRefreshToken(
    tenant: TenantContext,
    refreshToken: string,
    meta: RequestMeta,
  ): Promise<void>;
  signOutAll(tenant: TenantContext, userId: string, meta: RequestMeta): Promise<number>;
}

export function createAuthService(deps: {
  /** The hasher for a bcrypt cost (the tenant's `bcryptCost`). */
  hashers: (cost: number) => PasswordHasher;
  tokens: SessionTokens;
  masterKey: Buffer;
  /** Lockout and per-account limits; none by default. */
  signInGuard?: SignInGuard | undefined;
  /** The MFA step after the password (features/mfa); none: every sign-in is single-factor. */
  mfa?: Pick<MfaStepService, 'begin'> | undefined;
  /** Mails the verification link of a new account (`require_email_verification`). */
  sendVerification?: (
    tenant: TenantContext,
    user: UserRow,
    locale: string,
    meta: RequestMeta,
  ) => Promise<void>;
}): AuthService {
  const { hashers, tokens } = deps;
  const passwords = createPasswordAuthenticator({
    hashers,
    guard: deps.signInGuard ?? noSignInGuard,
    masterKey: deps.masterKey,
  });
  const rotation = createRefreshRotation({ tokens, masterKey: deps.masterKey });

  async function createAccount(tenant: TenantContext, input: SignUpInput, passwordHash: string) {
    return tenant.db.transaction(async (db) => {
      const user = await db.users.create({
        id: randomUUID(),
        email: input.email.trim(),
        emailNormalized: normalizeEmail(input.email),
        name: input.name ?? null,
      });
      await db.credentials.setPassword(user.id, passwordHash);
      await recordUserCreated(db, user);
      return user;
    });
  }

  return {
    async signUp(tenant, input, meta, locale = 'en') {
      if (!tenant.policy.signUpEnabled) throw new AppError('sign_up_disabled');
      checkPassword(tenant.policy, input.password, 'body.password');
      // Hashed before the duplicate check, so a taken email costs the same time as a new one.
      const passwordHash = await hashers(tenant.policy.bcryptCost).hash(input.password);
      let user: UserRow;
      try {
        user = await createAccount(tenant, input, passwordHash);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        await audit(tenant.db, meta, {
          action: 'user.signed_up',
          outcome: 'failure',
          details: { reason: 'email_taken' },
        });
        if (tenant.policy.enumerationProtection) return { kind: 'accepted' };
        throw new AppError('email_taken');
      }
      await audit(tenant.db, meta, {
        action: 'user.signed_up',
        outcome: 'success',
        userId: user.id,
      });
      if (tenant.policy.requireEmailVerification) {
        // No session before the address is proven: the link comes by mail, then sign in.
        await deps.sendVerification?.(tenant, user, locale, meta);
        return { kind: 'accepted' };
      }
      if (tenant.policy.enumerationProtection) return { kind: 'accepted' };
      const pair = await tokens.startSession(
        tenant.db,
        tenant,
        user.id,
        meta,
        singleFactor(['pwd']),
      );
      return { kind: 'created', user, tokens: pair };
    },

    async signIn(tenant, email, password, meta) {
      const checked = await passwords.check(tenant, email, password, meta);
      if (!checked.ok) {
        const notVerified = checked.reason === 'email_not_verified';
        throw new AppError(notVerified ? 'email_not_verified' : 'invalid_credentials');
      }
      const { user } = checked;
      const step = deps.mfa
        ? await deps.mfa.begin(tenant, user, ['pwd'], meta)
        : { kind: 'done' as const, auth: singleFactor(['pwd']) };
      // No session yet: `POST /v1/auth/mfa/verify` starts it once the second factor is in.
      if (step.kind === 'challenge') return step.challenge;
      const pair = await tokens.startSession(tenant.db, tenant, user.id, meta, step.auth);
      await audit(tenant.db, meta, {
        action: 'user.signed_in',
        outcome: 'success',
        userId: user.id,
      });
      return pair;
    },

    refresh: (
      tenant,
      refreshToken,
      meta = { ip: undefined, userAgent: undefined },
      organizationId,
    ) => rotation.refresh(tenant, refreshToken, meta, organizationId),

    async signOutSession(tenant, userId, sessionId, meta) {
      await revokeSessionRecorded(tenant.db, { id: sessionId, userId }, 'sign_out');
      await audit(tenant.db, meta, {
        action: 'user.signed_out',
        outcome: 'success',
        userId,
        details: { session_id: sessionId },
      });
    },

    async signOutRefreshToken(tenant, refreshToken, meta) {
      const presented = await tenant.db.refreshTokens.findByHash(hashRefreshToken(refreshToken));
      const session = presented
        ? await tenant.db.sessions.findById(presented.sessionId)
        : undefined;
      if (!session) return;
      await revokeSessionRecorded(tenant.db, session, 'sign_out');
      await audit(tenant.db, meta, {
        action: 'user.signed_out',
        outcome: 'success',
        userId: session.userId,
        details: { session_id: session.id },
      });
    },

    async signOutAll(tenant, userId, meta) {
      const count = await tenant.db.transaction((tx) =>
        revokeUserSessionsRecorded(tx, userId, 'sign_out_all'),
      );
      await audit(tenant.db, meta, {
        action: 'user.signed_out_everywhere',
        outcome: 'success',
        userId,
        details: { sessions_revoked: count },
      });
      return count;
    },
  };
}
