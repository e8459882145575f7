import { normalizeEmail, type GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import { asTotpCode, type TotpCodes } from './totp-codes';

/** An unconfirmed enrolment is confirmed within this long, or started again. */
const ENROLMENT_TTL_MS = 10 * 60 * 1000;

/** Who enrols or checks a code: a signed-in CP admin (never an API key). */
export interface TotpSubject {
  id: string;
  email: string;
}

export interface AdminTotpService {
  /**
   * Starts enrolling an authenticator: a new secret (replacing an unconfirmed one), answered once
   * with its `otpauth://` URI. 409 `mfa_factor_exists` when one is confirmed already.
   */
  enrol(admin: TotpSubject): Promise<{ secret: string; otpauth_uri: string }>;
  /**
   * Confirms the enrolment with a code from the app and answers 10 recovery codes (shown once;
   * stored hashed). 404 `mfa_factor_not_found` without a pending enrolment.
   */
  confirm(admin: TotpSubject, code: string, ip: string): Promise<{ recovery_codes: string[] }>;
  /** Removes the authenticator after checking a current code (TOTP or recovery code). */
  remove(admin: TotpSubject, code: string, ip: string): Promise<void>;
  /** Whether sign-ins of the admin need a second factor. */
  isEnrolled(adminId: string): Promise<boolean>;
  /**
   * Checks a code at sign-in under the code limits and spends it: a TOTP step is accepted once
   * (a replay within its window is refused), a recovery code once ever.
   */
  check(admin: TotpSubject, code: string, ip: string): Promise<boolean>;
}

const invalidCode = (): AppError => new AppError('invalid_mfa_code');

/**
 * CP admins' TOTP (docs/security.md, "CP admin second factor"). Every code check is counted by
 * `codeGuard`, an admin sign-in guard with counters of its own that only a right code clears: the
 * password's counters are cleared by each right password, so without these someone who knows the
 * password could sign in again after each burst of wrong codes and guess codes forever.
 */
export function createAdminTotpService(deps: {
  db: GlobalDb;
  codes: TotpCodes;
  codeGuard: AdminSignInGuard;
  now?: () => Date;
}): AdminTotpService {
  const { db, codes, codeGuard } = deps;
  const now = deps.now ?? (() => new Date());

  async function guarded(
    admin: TotpSubject,
    ip: string,
    attempt: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = normalizeEmail(admin.email);
    await codeGuard.beforeAttempt(key, ip);
    const ok = await attempt();
    if (ok) await codeGuard.onSuccess(key, ip);
    else await codeGuard.onFailure(key, ip);
    return ok;
  }

  /** Spends a TOTP step (replay guard) or a recovery code of a confirmed authenticator. */
  async function spend(adminId: string, code: string): Promise<boolean> {
    const totp = await db.adminMfa.findTotp(adminId);
    if (!totp || totp.confirmedAt === null) return false;
    if (asTotpCode(code) !== undefined) {
      const step = codes.match(adminId, totp.secretEncrypted, code, now());
      return step !== undefined && (await db.adminMfa.useTotpStep(adminId, step));
    }
    const hash = codes.recoveryHashOf(adminId, code);
    return hash !== undefined && (await db.adminMfa.useRecoveryCode(adminId, hash, now()));
  }

  return {
    async enrol(admin) {
      const existing = await db.adminMfa.findTotp(admin.id);
      if (existing?.confirmedAt) {
        throw new AppError(
          'mfa_factor_exists',
          'An authenticator is enrolled already; remove it first (DELETE /v1/auth/totp).',
        );
      }
      const generated = codes.newSecret(admin.id, admin.email);
      await db.adminMfa.putPendingTotp(admin.id, generated.sealed);
      return { secret: generated.secret, otpauth_uri: generated.uri };
    },

    async confirm(admin, code, ip) {
      const pending = await db.adminMfa.findTotp(admin.id);
      if (
        !pending ||
        pending.confirmedAt !== null ||
        pending.createdAt.getTime() + ENROLMENT_TTL_MS <= now().getTime()
      ) {
        throw new AppError(
          'mfa_factor_not_found',
          'No enrolment is waiting for confirmation; start one with POST /v1/auth/totp.',
        );
      }
      const recovery = codes.recoveryCodes(admin.id);
      const ok = await guarded(admin, ip, async () => {
        const step = codes.match(admin.id, pending.secretEncrypted, code, now());
        if (step === undefined) return false;
        return db.transaction(async (tx) => {
          if (!(await tx.adminMfa.confirmTotp(admin.id, step, now()))) return false;
          await tx.adminMfa.replaceRecoveryCodes(admin.id, recovery.hashes);
          return true;
        });
      });
      if (!ok) throw invalidCode();
      return { recovery_codes: recovery.codes };
    },

    async remove(admin, code, ip) {
      const totp = await db.adminMfa.findTotp(admin.id);
      if (!totp || totp.confirmedAt === null) {
        throw new AppError('mfa_factor_not_found', 'No authenticator is enrolled.');
      }
      if (!(await guarded(admin, ip, () => spend(admin.id, code)))) throw invalidCode();
      await db.adminMfa.removeTotp(admin.id);
    },

    async isEnrolled(adminId) {
      const totp = await db.adminMfa.findTotp(adminId);
      return totp !== undefined && totp.confirmedAt !== null;
    },

    check: (admin, code, ip) => guarded(admin, ip, () => spend(admin.id, code)),
  };
}
