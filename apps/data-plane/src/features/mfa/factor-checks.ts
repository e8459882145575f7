import type { MfaFactorRow } from '@hellojohn/dal';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { RecoveryCodes } from './recovery-codes';
import { matchTotp, openTotpSecret } from './totp';

/** What a TOTP code did: accepted (for which factor), wrong, or a step already used (a replay). */
export type TotpOutcome =
  { ok: true; factorId: string } | { ok: false; reason: 'wrong' | 'replayed' };

/** The code checks shared by sign-in, enrolment and re-authentication. No limits here: see CodeGuard. */
export interface FactorChecks {
  /** A TOTP code against one factor (confirmed or being confirmed); its step is spent when right. */
  totpFactor(
    tenant: TenantContext,
    factor: MfaFactorRow,
    code: string,
    now: Date,
  ): Promise<TotpOutcome>;
  /** A TOTP code against each of the user's confirmed TOTP factors. */
  totp(tenant: TenantContext, userId: string, code: string, now: Date): Promise<TotpOutcome>;
  /** Spends one of the user's recovery codes. */
  recoveryCode(tenant: TenantContext, userId: string, code: string, now: Date): Promise<boolean>;
}

export function createFactorChecks(deps: {
  masterKey: Buffer;
  recovery: RecoveryCodes;
}): FactorChecks {
  async function totpFactor(
    tenant: TenantContext,
    factor: MfaFactorRow,
    code: string,
    now: Date,
  ): Promise<TotpOutcome> {
    if (factor.type !== 'totp' || !factor.secretEncrypted) return { ok: false, reason: 'wrong' };
    const secret = openTotpSecret(
      deps.masterKey,
      tenant.config.id,
      factor.id,
      factor.secretEncrypted,
    );
    const step = matchTotp(secret, code, now);
    if (step === undefined) return { ok: false, reason: 'wrong' };
    // The replay guard: one conditional update accepts each step once, even under concurrency.
    const fresh = await tenant.db.mfaFactors.recordUse(factor.id, { at: now, step });
    return fresh ? { ok: true, factorId: factor.id } : { ok: false, reason: 'replayed' };
  }

  return {
    totpFactor,
    async totp(tenant, userId, code, now) {
      const factors = await tenant.db.mfaFactors.listByUser(userId, {
        confirmedOnly: true,
        type: 'totp',
      });
      let outcome: TotpOutcome = { ok: false, reason: 'wrong' };
      for (const factor of factors) {
        const result = await totpFactor(tenant, factor, code, now);
        if (result.ok) return result;
        if (result.reason === 'replayed') outcome = result;
      }
      return outcome;
    },
    async recoveryCode(tenant, userId, code, now) {
      const hash = deps.recovery.hashOf(tenant.config.id, userId, code);
      if (hash === undefined) return false;
      return tenant.db.recoveryCodes.consume(userId, hash, now);
    },
  };
}
