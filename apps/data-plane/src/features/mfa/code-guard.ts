import { normalizeEmail, type UserRow } from '@hellojohn/dal';
import type { SignInGuard } from '../../abuse/sign-in-guard';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';

/**
 * Brute-force limits on every second-factor code check (docs/mfa.md, "Limits"). Each check is
 * reserved in two counters before the code is compared:
 *
 * - the account's sign-in lockout, shared with passwords, so wrong codes lock the account like
 *   wrong passwords (429 `account_locked`, or `rate_limited` in delay mode, with Retry-After);
 * - a counter of its own that only a right code clears. The password lockout is cleared by every
 *   right password, so without it someone who knows the password could sign in again after each
 *   burst of wrong codes and guess codes forever.
 */
export interface CodeGuard {
  /** Runs `check` under both counters; throws the lockout's 429 before checking when locked. */
  run(
    tenant: TenantContext,
    user: UserRow,
    meta: RequestMeta,
    check: () => Promise<boolean>,
  ): Promise<boolean>;
}

export function createCodeGuard(deps: { signIn: SignInGuard; codes: SignInGuard }): CodeGuard {
  const guards = [deps.signIn, deps.codes];
  return {
    async run(tenant, user, meta, check) {
      const tenantId = tenant.config.id;
      const key = normalizeEmail(user.email);
      const ip = meta.ip ?? 'unknown';
      for (const guard of guards) await guard.beforeAttempt(tenantId, key, ip);
      const ok = await check();
      for (const guard of guards) {
        if (ok) await guard.onSuccess(tenantId, key, ip);
        else await guard.onFailure(tenantId, key, ip);
      }
      return ok;
    },
  };
}
