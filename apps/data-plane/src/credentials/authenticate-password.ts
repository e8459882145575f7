import { normalizeEmail, type UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { SignInGuard } from '../abuse/sign-in-guard';
import { audit } from '../audit/audit';
import type { RequestMeta } from '../audit/request-meta';
import type { TenantContext } from '../tenancy/tenant-context';
import { passwordHashKeyOpener } from './imported/open-password-hash-key';
import { verifyImportedHash } from './imported/verify-imported-hash';

/**
 * What a password check found. Every failure is `invalid_credentials` to the JSON API; the hosted
 * login tells a disabled account apart, but only after the right password (docs/hosted-login.md).
 */
export type PasswordCheck =
  | { ok: true; user: UserRow }
  | {
      ok: false;
      reason: 'unknown_email' | 'wrong_password' | 'user_disabled' | 'email_not_verified';
    };

export interface PasswordAuthenticator {
  /**
   * The one password check of every sign-in (`POST /v1/auth/sign-in` and the hosted login): the
   * lockout guard first (its refusal, e.g. 429 `account_locked`, is audited and thrown), then
   * exactly one bcrypt comparison, against a dummy hash for an unknown email (same time, same
   * answer), then the account's status. Failures are audited and counted by the guard; the
   * caller audits the success once it has started the session.
   */
  check(
    tenant: TenantContext,
    email: string,
    password: string,
    meta: RequestMeta,
  ): Promise<PasswordCheck>;
}

export function createPasswordAuthenticator(deps: {
  /** The hasher for a bcrypt cost (the tenant's `bcryptCost`). */
  hashers: (cost: number) => PasswordHasher;
  guard: SignInGuard;
  /** Opens the sealed project keys some imported hashes need (Firebase's signer key). */
  masterKey?: Buffer | undefined;
}): PasswordAuthenticator {
  const { hashers, guard } = deps;

  /**
   * A user brought in by an import signs in with the hash of their old system until it first
   * matches; then it is replaced with the tenant's bcrypt and deleted. The dummy bcrypt runs
   * alongside, so such a user never answers faster than an unknown email does.
   */
  async function checkImported(
    tenant: TenantContext,
    user: UserRow,
    password: string,
    meta: RequestMeta,
  ): Promise<boolean | undefined> {
    const imported = await tenant.db.importedPasswords.find(user.id);
    if (!imported) return undefined;
    const hasher = hashers(tenant.policy.bcryptCost);
    const keys = deps.masterKey
      ? passwordHashKeyOpener(tenant.db, deps.masterKey)
      : async () => undefined;
    const [ok] = await Promise.all([
      verifyImportedHash(password, imported, keys),
      hasher.verify(password, undefined),
    ]);
    if (ok) {
      await tenant.db.importedPasswords.replaceWithNative(user.id, await hasher.hash(password));
      await audit(tenant.db, meta, {
        action: 'user.password_rehashed',
        outcome: 'success',
        userId: user.id,
        details: { algorithm: imported.algorithm },
      });
    }
    return ok;
  }

  return {
    async check(tenant, email, password, meta) {
      const emailKey = normalizeEmail(email);
      const ip = meta.ip ?? 'unknown';
      try {
        await guard.beforeAttempt(tenant.config.id, emailKey, ip);
      } catch (error) {
        await audit(tenant.db, meta, {
          action: 'user.signed_in',
          outcome: 'denied',
          details: { reason: error instanceof AppError ? error.code : 'guard' },
        });
        throw error;
      }
      const user = await tenant.db.users.findByEmailNormalized(emailKey);
      const hash = user ? await tenant.db.credentials.getPasswordHash(user.id) : undefined;
      const imported =
        user && hash === undefined ? await checkImported(tenant, user, password, meta) : undefined;
      // Always one bcrypt comparison, against a dummy hash when there is no user: same time, same answer.
      const ok = imported ?? (await hashers(tenant.policy.bcryptCost).verify(password, hash));
      if (!user || !ok || user.status !== 'active') {
        const reason = !user ? 'unknown_email' : !ok ? 'wrong_password' : 'user_disabled';
        await guard.onFailure(tenant.config.id, emailKey, ip);
        await audit(tenant.db, meta, {
          action: 'user.signed_in',
          outcome: 'failure',
          userId: user?.id ?? null,
          details: { reason },
        });
        return { ok: false, reason };
      }
      await guard.onSuccess(tenant.config.id, emailKey, ip);
      // `require_email_verification`: told only after the right password (so it reveals nothing
      // to a guesser), and no session until a verification link has been used.
      if (tenant.policy.requireEmailVerification && !user.emailVerified) {
        await audit(tenant.db, meta, {
          action: 'user.signed_in',
          outcome: 'denied',
          userId: user.id,
          details: { reason: 'email_not_verified' },
        });
        return { ok: false, reason: 'email_not_verified' };
      }
      return { ok: true, user };
    },
  };
}
