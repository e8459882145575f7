import { randomUUID } from 'node:crypto';
import type { MfaFactorRow, MfaFactorType, UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { AuthenticationContext } from '../../tokens/authentication-context';
import type { TokenPair } from '../../tokens/session-tokens';
import type { CodeGuard } from './code-guard';
import type { MfaEmailCodes } from './email-code';
import type { FactorChecks } from './factor-checks';
import type { MfaStepService } from './mfa-step.service';
import type { Proof, Reauthenticate } from './reauthenticate';
import type { RecoveryCodes } from './recovery-codes';
import { newTotpSecret, otpauthUri, qrSvgOf, sealTotpSecret } from './totp';
import { recordDomainEvent } from '../../outbox';

/** An unconfirmed factor is replaced by the next enrolment, and dies after this. */
const ENROLMENT_TTL_SECONDS = 10 * 60;
/** Confirmed factors one user may hold. */
const MAX_FACTORS = 20;

/**
 * Who enrols: a signed-in user (bearer), or a user signing in under `mfa: required` who has no
 * factor yet (their enrolment-only mfa_token, which the enrolment then completes with tokens).
 */
export interface Enroller {
  user: UserRow;
  mfaToken?: string | undefined;
  /** Factor types the enrolment token's first factor already proved (email after a mailed code). */
  exclude?: readonly MfaFactorType[];
  /**
   * The hosted login ends the enrolment token itself and starts a browser session instead of a
   * token pair (features/hosted-login).
   */
  browser?: boolean;
}

/** What a confirmation answers: codes on the first factor, tokens on an mfa_token enrolment. */
export interface EnrolmentDone {
  recoveryCodes?: string[];
  tokens?: TokenPair;
}

export interface FactorView {
  id: string;
  type: MfaFactorType;
  name: string | null;
  confirmed: boolean;
  created_at: string;
  last_used_at: string | null;
}

export interface FactorsView {
  factors: FactorView[];
  recovery_codes_remaining: number;
}

export interface MfaService {
  enrolTotp(
    tenant: TenantContext,
    enroller: Enroller,
    input: Proof & { name?: string | undefined },
    meta: RequestMeta,
  ): Promise<{ factor_id: string; secret: string; otpauth_uri: string; qr_svg: string }>;
  confirmTotp(
    tenant: TenantContext,
    enroller: Enroller,
    factorId: string,
    code: string,
    meta: RequestMeta,
  ): Promise<EnrolmentDone>;
  enrolEmail(
    tenant: TenantContext,
    enroller: Enroller,
    proof: Proof,
    locale: string,
    meta: RequestMeta,
  ): Promise<{ factor_id: string }>;
  confirmEmail(
    tenant: TenantContext,
    enroller: Enroller,
    code: string,
    meta: RequestMeta,
  ): Promise<EnrolmentDone>;
  list(tenant: TenantContext, userId: string): Promise<FactorsView>;
  remove(
    tenant: TenantContext,
    user: UserRow,
    factorId: string,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<void>;
  regenerateRecoveryCodes(
    tenant: TenantContext,
    user: UserRow,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<string[]>;
  /**
   * Proof of recent authentication before adding a credential elsewhere (a passkey signs in on its
   * own, so a stolen access token must not be able to add one): throws as the MFA routes do.
   */
  confirmRecentAuthentication(
    tenant: TenantContext,
    userId: string,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<void>;
  /** A fresh set of recovery codes for a user whose first factor was confirmed elsewhere (passkeys). */
  issueRecoveryCodes(tenant: TenantContext, userId: string): Promise<string[]>;
  /** Tenant admin: every factor and recovery code of the user goes. */
  reset(tenant: TenantContext, actor: string, userId: string, meta: RequestMeta): Promise<void>;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function createMfaService(deps: {
  masterKey: Buffer;
  checks: FactorChecks;
  guard: CodeGuard;
  recovery: RecoveryCodes;
  emailCodes: MfaEmailCodes;
  step: MfaStepService;
  reauthenticate: Reauthenticate;
  /** Starts the session an mfa_token enrolment ends with. */
  startSession(
    tenant: TenantContext,
    userId: string,
    auth: AuthenticationContext,
    meta: RequestMeta,
  ): Promise<TokenPair>;
}): MfaService {
  const { checks, guard } = deps;

  const isLive = (f: MfaFactorRow, now = Date.now()): boolean =>
    f.confirmedAt !== null || now - f.createdAt.getTime() < ENROLMENT_TTL_SECONDS * 1000;

  /** Mfa off, too many factors, or (beside existing factors) no proof of recent authentication. */
  async function mayEnrol(
    tenant: TenantContext,
    enroller: Enroller,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<void> {
    if (tenant.policy.mfa === 'off') throw new AppError('mfa_disabled');
    const confirmed = await tenant.db.mfaFactors.listByUser(enroller.user.id, {
      confirmedOnly: true,
    });
    if (confirmed.length >= MAX_FACTORS) {
      throw new AppError('validation_failed', `At most ${String(MAX_FACTORS)} factors per user.`);
    }
    // A stolen bearer token must not be able to add the thief's authenticator (and then use its
    // codes to remove the owner's): beside existing factors, adding one needs the proof too.
    if (confirmed.length > 0 && enroller.mfaToken === undefined) {
      await deps.reauthenticate(tenant, enroller.user, proof, meta, 'mfa.enrolled');
    }
  }

  async function complete(
    tenant: TenantContext,
    enroller: Enroller,
    factor: MfaFactorRow,
    meta: RequestMeta,
  ): Promise<EnrolmentDone> {
    const { user } = enroller;
    const before = await tenant.db.mfaFactors.listByUser(user.id, { confirmedOnly: true });
    const confirmedNow = await tenant.db.transaction(async (tx) => {
      if (!(await tx.mfaFactors.confirm(factor.id, new Date()))) return false;
      await recordDomainEvent(tx, 'mfa.enrolled', {
        user_id: user.id,
        factor_id: factor.id,
        type: factor.type,
      });
      return true;
    });
    if (!confirmedNow) throw new AppError('mfa_factor_not_found');
    await audit(tenant.db, meta, {
      action: 'mfa.enrolled',
      outcome: 'success',
      userId: user.id,
      target: factor.id,
      details: { type: factor.type },
    });
    const done: EnrolmentDone = {};
    if (before.length === 0) {
      const { codes, hashes } = deps.recovery.generate(tenant.config.id, user.id);
      await tenant.db.recoveryCodes.replaceAll(user.id, hashes, new Date());
      done.recoveryCodes = codes;
    }
    if (enroller.mfaToken !== undefined && enroller.browser !== true) {
      const passed = await deps.step.finishEnrolment(tenant, enroller.mfaToken, ['otp'], meta);
      done.tokens = await deps.startSession(tenant, passed.user.id, passed.auth, meta);
    }
    return done;
  }

  async function pending(
    tenant: TenantContext,
    userId: string,
    type: MfaFactorType,
    factorId?: string,
  ): Promise<MfaFactorRow> {
    const candidates = factorId
      ? [await tenant.db.mfaFactors.findById(userId, factorId)]
      : (await tenant.db.mfaFactors.listByUser(userId, { type })).reverse();
    const factor = candidates.find(
      (f) => f !== undefined && f.type === type && f.confirmedAt === null && isLive(f),
    );
    if (!factor) throw new AppError('mfa_factor_not_found');
    return factor;
  }

  async function refused(
    tenant: TenantContext,
    user: UserRow,
    type: MfaFactorType,
    reason: string,
    meta: RequestMeta,
  ): Promise<never> {
    await audit(tenant.db, meta, {
      action: 'mfa.enrolled',
      outcome: 'failure',
      userId: user.id,
      details: { type, reason },
    });
    throw new AppError('invalid_mfa_code');
  }

  return {
    async enrolTotp(tenant, enroller, input, meta) {
      await mayEnrol(tenant, enroller, input, meta);
      const { user } = enroller;
      const secret = newTotpSecret();
      const id = randomUUID();
      await tenant.db.mfaFactors.deleteUnconfirmed(user.id, 'totp');
      await tenant.db.mfaFactors.create({
        id,
        userId: user.id,
        type: 'totp',
        name: input.name ?? 'Authenticator app',
        secretEncrypted: sealTotpSecret(deps.masterKey, tenant.config.id, id, secret),
      });
      const uri = otpauthUri(secret, tenant.config.name, user.email);
      return { factor_id: id, secret, otpauth_uri: uri, qr_svg: await qrSvgOf(uri) };
    },

    async confirmTotp(tenant, enroller, factorId, code, meta) {
      const { user } = enroller;
      const factor = await pending(tenant, user.id, 'totp', factorId);
      const outcome = { replayed: false };
      const ok = await guard.run(tenant, user, meta, async () => {
        const result = await checks.totpFactor(tenant, factor, code, new Date());
        outcome.replayed = !result.ok && result.reason === 'replayed';
        return result.ok;
      });
      if (!ok)
        return refused(
          tenant,
          user,
          'totp',
          outcome.replayed ? 'replayed_code' : 'wrong_code',
          meta,
        );
      return complete(tenant, enroller, factor, meta);
    },

    async enrolEmail(tenant, enroller, proof, locale, meta) {
      const { user } = enroller;
      if (enroller.exclude?.includes('email_otp')) {
        throw new AppError(
          'forbidden',
          'You signed in by email: the second factor must be something else (an authenticator app).',
        );
      }
      if (!user.emailVerified) {
        throw new AppError(
          'email_not_verified',
          'Verify your email address before using it for codes.',
        );
      }
      await mayEnrol(tenant, enroller, proof, meta);
      const existing = await tenant.db.mfaFactors.listByUser(user.id, {
        confirmedOnly: true,
        type: 'email_otp',
      });
      if (existing.length > 0) throw new AppError('mfa_factor_exists');
      await tenant.db.mfaFactors.deleteUnconfirmed(user.id, 'email_otp');
      const factor = await tenant.db.mfaFactors.create({
        userId: user.id,
        type: 'email_otp',
        name: 'Email',
      });
      await deps.emailCodes.send(tenant, user, locale);
      return { factor_id: factor.id };
    },

    async confirmEmail(tenant, enroller, code, meta) {
      const { user } = enroller;
      const factor = await pending(tenant, user.id, 'email_otp');
      const ok = await guard.run(tenant, user, meta, () =>
        deps.emailCodes.consume(tenant, user, code),
      );
      if (!ok) return refused(tenant, user, 'email_otp', 'wrong_code', meta);
      return complete(tenant, enroller, factor, meta);
    },

    async list(tenant, userId) {
      const now = Date.now();
      const factors = (await tenant.db.mfaFactors.listByUser(userId)).filter((f) => isLive(f, now));
      return {
        factors: factors.map((f) => ({
          id: f.id,
          type: f.type,
          name: f.name,
          confirmed: f.confirmedAt !== null,
          created_at: f.createdAt.toISOString(),
          last_used_at: iso(f.lastUsedAt),
        })),
        recovery_codes_remaining: await tenant.db.recoveryCodes.countRemaining(userId),
      };
    },

    async remove(tenant, user, factorId, proof, meta) {
      await deps.reauthenticate(tenant, user, proof, meta, 'mfa.removed');
      const factor = await tenant.db.mfaFactors.findById(user.id, factorId);
      if (!factor || !(await tenant.db.mfaFactors.delete(user.id, factorId))) {
        throw new AppError('mfa_factor_not_found');
      }
      const left = await tenant.db.mfaFactors.listByUser(user.id, { confirmedOnly: true });
      // Recovery codes stand in for factors; with none left they would be a way in on their own.
      if (left.length === 0) await tenant.db.recoveryCodes.deleteAllForUser(user.id);
      await audit(tenant.db, meta, {
        action: 'mfa.removed',
        outcome: 'success',
        userId: user.id,
        target: factor.id,
        details: { type: factor.type, factors_left: left.length },
      });
    },

    async confirmRecentAuthentication(tenant, userId, proof, meta) {
      const user = await tenant.db.users.findById(userId);
      if (!user) throw new AppError('invalid_token');
      await deps.reauthenticate(tenant, user, proof, meta, 'mfa.enrolled');
    },

    async regenerateRecoveryCodes(tenant, user, proof, meta) {
      await deps.reauthenticate(tenant, user, proof, meta, 'mfa.recovery_codes_regenerated');
      const confirmed = await tenant.db.mfaFactors.listByUser(user.id, { confirmedOnly: true });
      if (confirmed.length === 0) {
        throw new AppError('mfa_factor_not_found', 'Enrol a second factor first.');
      }
      const { codes, hashes } = deps.recovery.generate(tenant.config.id, user.id);
      await tenant.db.recoveryCodes.replaceAll(user.id, hashes, new Date());
      await audit(tenant.db, meta, {
        action: 'mfa.recovery_codes_regenerated',
        outcome: 'success',
        userId: user.id,
      });
      return codes;
    },

    async issueRecoveryCodes(tenant, userId) {
      const { codes, hashes } = deps.recovery.generate(tenant.config.id, userId);
      await tenant.db.recoveryCodes.replaceAll(userId, hashes, new Date());
      return codes;
    },

    async reset(tenant, actor, userId, meta) {
      const user = await tenant.db.users.findById(userId);
      if (!user) throw new AppError('user_not_found');
      const removed = await tenant.db.transaction(async (tx) => {
        const count = await tx.mfaFactors.deleteAllForUser(userId);
        await tx.recoveryCodes.deleteAllForUser(userId);
        return count;
      });
      await audit(tenant.db, meta, {
        action: 'mfa.reset',
        outcome: 'success',
        actor,
        userId,
        details: { factors_removed: removed },
      });
    },
  };
}
