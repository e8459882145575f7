import type { UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { CodeGuard } from './code-guard';
import type { FactorChecks } from './factor-checks';

/** Proof of recent authentication in a request body: the password, or a current code. */
export interface Proof {
  password?: string | undefined;
  code?: string | undefined;
}

/**
 * Re-checks the user before a change that weakens or widens their second factors (removing a
 * factor, new recovery codes, adding a factor next to existing ones): a bearer token alone could
 * be stolen. `password`, or `code` = a TOTP code of any of their authenticators or an unused
 * recovery code (spent). Under the same lockout as sign-in codes; a failure is audited as
 * `action` and throws `invalid_credentials` or `invalid_mfa_code`.
 */
export function createReauthentication(deps: {
  hashers: (cost: number) => PasswordHasher;
  checks: FactorChecks;
  guard: CodeGuard;
}) {
  return async function reauthenticate(
    tenant: TenantContext,
    user: UserRow,
    proof: Proof,
    meta: RequestMeta,
    action: 'mfa.removed' | 'mfa.enrolled' | 'mfa.recovery_codes_regenerated',
  ): Promise<void> {
    const { password, code } = proof;
    if (password === undefined && code === undefined) {
      throw new AppError('validation_failed', 'Send {"password"} or a current {"code"}.', {
        errors: [{ path: 'body.password', message: 'give password or code' }],
      });
    }
    const ok = await deps.guard.run(tenant, user, meta, async () => {
      if (password !== undefined) {
        const hash = await tenant.db.credentials.getPasswordHash(user.id);
        return deps.hashers(tenant.policy.bcryptCost).verify(password, hash);
      }
      const now = new Date();
      const given = code ?? '';
      if (/^\d{6}$/.test(given)) return (await deps.checks.totp(tenant, user.id, given, now)).ok;
      return deps.checks.recoveryCode(tenant, user.id, given, now);
    });
    if (ok) return;
    await audit(tenant.db, meta, {
      action,
      outcome: 'failure',
      userId: user.id,
      details: { reason: password !== undefined ? 'wrong_password' : 'wrong_code' },
    });
    throw password !== undefined
      ? new AppError('invalid_credentials', 'The password is incorrect.')
      : new AppError('invalid_mfa_code');
  };
}

export type Reauthenticate = ReturnType<typeof createReauthentication>;
