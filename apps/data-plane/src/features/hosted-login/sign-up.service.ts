import { randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail } from '@hellojohn/dal';
import type { PasswordHasher } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { checkPassword } from '../../credentials/check-password';
import type { TenantContext } from '../../tenancy/tenant-context';
import { recordUserCreated } from '../../outbox';

/**
 * `created`: sign the new user in. `accepted`: the tenant protects against enumeration, so a new
 * and a taken email get the same answer and nobody is signed in. `taken`: no protection, say so.
 */
export type SignUpOutcome =
  { kind: 'created'; userId: string } | { kind: 'accepted' } | { kind: 'taken' };

export interface SignUpService {
  /**
   * The rules of `POST /v1/auth/sign-up`: the password policy (`weak_password`, field
   * `body.password`), the hash computed before the duplicate check (same time either way), the
   * audit row. The caller checked that the tenant allows sign-up.
   */
  register(
    tenant: TenantContext,
    input: { email: string; password: string; name: string | undefined; locale?: string },
    meta: RequestMeta,
  ): Promise<SignUpOutcome>;
}

export function createSignUpService(deps: {
  hashers: (cost: number) => PasswordHasher;
  /** Mails a new account its verification link (`require_email_verification`). */
  sendVerification?:
    ((tenant: TenantContext, userId: string, locale: string) => Promise<void>) | undefined;
}): SignUpService {
  return {
    async register(tenant, input, meta) {
      checkPassword(tenant.policy, input.password, 'body.password');
      const passwordHash = await deps.hashers(tenant.policy.bcryptCost).hash(input.password);
      let userId: string;
      try {
        userId = await tenant.db.transaction(async (db) => {
          const user = await db.users.create({
            id: randomUUID(),
            email: input.email,
            emailNormalized: normalizeEmail(input.email),
            name: input.name ?? null,
          });
          await db.credentials.setPassword(user.id, passwordHash);
          await recordUserCreated(db, user);
          return user.id;
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        await audit(tenant.db, meta, {
          action: 'user.signed_up',
          outcome: 'failure',
          details: { reason: 'email_taken', method: 'hosted_login' },
        });
        return tenant.policy.enumerationProtection ? { kind: 'accepted' } : { kind: 'taken' };
      }
      await audit(tenant.db, meta, {
        action: 'user.signed_up',
        outcome: 'success',
        userId,
        details: { method: 'hosted_login' },
      });
      if (tenant.policy.requireEmailVerification) {
        // No browser session before the address is proven: the link comes by mail.
        await deps.sendVerification?.(tenant, userId, input.locale ?? 'en');
        return { kind: 'accepted' };
      }
      return tenant.policy.enumerationProtection
        ? { kind: 'accepted' }
        : { kind: 'created', userId };
    },
  };
}
