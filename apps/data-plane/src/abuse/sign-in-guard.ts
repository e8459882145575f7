/**
 * A hook around password sign-in, for lockout and per-account limits. `emailKey` is the
 * normalised email (see `normalizeEmail`), so every spelling of one address counts together.
 * `beforeAttempt` runs before the password is checked: it reserves the attempt (counts it, so
 * parallel attempts cannot all pass a count read before any of them failed) and throws (e.g.
 * `AppError('account_locked')`) to refuse it. The other two record the outcome: a reserved
 * attempt is already counted as a failure until `onSuccess` clears it. Unknown emails count as
 * failures too, so the guard cannot be used to tell accounts apart.
 */
export interface SignInGuard {
  beforeAttempt(tenantId: string, emailKey: string, ip: string): Promise<void>;
  onFailure(tenantId: string, emailKey: string, ip: string): Promise<void>;
  onSuccess(tenantId: string, emailKey: string, ip: string): Promise<void>;
}

/** The guard used when none is configured: allows everything, records nothing. */
export const noSignInGuard: SignInGuard = {
  beforeAttempt: () => Promise.resolve(),
  onFailure: () => Promise.resolve(),
  onSuccess: () => Promise.resolve(),
};
