import { randomUUID } from 'node:crypto';
import { ConflictError, type UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { hashRefreshToken, type PasswordHasher } from '@hellojohn/tokens';
import type { TenantContext } from '../tenancy/tenant-context';
import { normalizeEmail } from './email';
import type { ClientInfo, SessionTokens, TokenPair } from './session-tokens';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
}

export interface AuthService {
  signUp(
    tenant: TenantContext,
    input: SignUpInput,
    client: ClientInfo,
  ): Promise<{ user: UserRow; tokens: TokenPair }>;
  signIn(
    tenant: TenantContext,
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenPair>;
  refresh(tenant: TenantContext, refreshToken: string): Promise<TokenPair>;
}

function checkPasswordPolicy(tenant: TenantContext, password: string): void {
  const { passwordMinLength, passwordMaxLength } = tenant.policy;
  const length = Array.from(password).length;
  if (length < passwordMinLength || length > passwordMaxLength) {
    throw new AppError(
      'weak_password',
      `The password must be ${passwordMinLength} to ${passwordMaxLength} characters long.`,
      {
        errors: [
          {
            path: 'body.password',
            message: `must be ${passwordMinLength}-${passwordMaxLength} characters`,
          },
        ],
      },
    );
  }
}

export function createAuthService(deps: {
  hasher: PasswordHasher;
  tokens: SessionTokens;
}): AuthService {
  const { hasher, tokens } = deps;
  return {
    async signUp(tenant, input, client) {
      if (!tenant.policy.signUpEnabled) throw new AppError('sign_up_disabled');
      checkPasswordPolicy(tenant, input.password);
      const passwordHash = await hasher.hash(input.password);
      try {
        return await tenant.db.transaction(async (db) => {
          const user = await db.users.create({
            id: randomUUID(),
            email: input.email.trim(),
            emailNormalized: normalizeEmail(input.email),
            name: input.name ?? null,
          });
          await db.credentials.setPassword(user.id, passwordHash);
          return { user, tokens: await tokens.startSession(db, tenant, user.id, client) };
        });
      } catch (error) {
        if (error instanceof ConflictError) throw new AppError('email_taken');
        throw error;
      }
    },

    async signIn(tenant, email, password, client) {
      const user = await tenant.db.users.findByEmailNormalized(normalizeEmail(email));
      const hash = user ? await tenant.db.credentials.getPasswordHash(user.id) : undefined;
      // Always one bcrypt comparison, against a dummy hash when there is no user: same time, same answer.
      const ok = await hasher.verify(password, hash);
      if (!user || !ok || user.status !== 'active') throw new AppError('invalid_credentials');
      return tokens.startSession(tenant.db, tenant, user.id, client);
    },

    async refresh(tenant, refreshToken) {
      const db = tenant.db;
      const presented = await db.refreshTokens.findByHash(hashRefreshToken(refreshToken));
      const now = new Date();
      if (!presented || presented.expiresAt <= now || presented.revokedAt) {
        throw new AppError('refresh_token_invalid');
      }
      const session = await db.sessions.findById(presented.sessionId);
      if (!session || session.revokedAt || session.expiresAt <= now) {
        throw new AppError('refresh_token_invalid');
      }
      const successor = await db.transaction(async (tx) => {
        const nextId = randomUUID();
        // Conditional update: exactly one request can spend a token.
        const won = await tx.refreshTokens.markUsed(presented.id, nextId);
        return won ? tokens.refreshToken(tx, tenant, session.id, presented.id, nextId) : undefined;
      });
      if (!successor) {
        // RFC 9700 §4.14.2: a spent refresh token presented again revokes the whole session.
        await db.sessions.revoke(session.id, 'refresh_token_reused');
        throw new AppError('refresh_token_reused');
      }
      await db.sessions.touch(session.id, now);
      const access = await tokens.accessToken(db, tenant, session.userId, session.id);
      return {
        access_token: access.token,
        refresh_token: successor.token,
        token_type: 'Bearer',
        expires_in: tenant.policy.accessTokenTtlSeconds,
      };
    },
  };
}
