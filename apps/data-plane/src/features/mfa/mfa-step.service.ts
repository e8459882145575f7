import type { MfaChallengeRow, MfaFactorType, UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { generateOpaqueSecret, sha256Hex } from '@hellojohn/tokens';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import {
  acrOf,
  mergeAmr,
  singleFactor,
  type AuthenticationContext,
} from '../../tokens/authentication-context';
import type { CodeGuard } from './code-guard';
import type { MfaEmailCodes } from './email-code';
import type { FactorChecks } from './factor-checks';
import type { PasskeySecondFactor } from './passkey-second-factor';

/** What a second step may use: a factor type, or one of the user's recovery codes. */
export type SecondFactorKind = 'totp' | 'recovery_code' | 'email_otp' | 'webauthn';

/** An entry of the factor list a challenge shows (`id` null for recovery codes). */
export interface FactorSummary {
  id: string | null;
  type: SecondFactorKind;
  name: string | null;
}

/** The `200` answer of a first factor that needs a second (no tokens yet). */
export interface MfaChallengeView {
  mfa_required: true;
  mfa_token: string;
  factors: FactorSummary[];
  expires_in: number;
  /** The tenant requires MFA and the user has no factor: enrol one with this token first. */
  enrolment_required?: true;
}

/** After a first factor: sign in now (`done`), or ask for a second factor. */
export type MfaBegin =
  | { kind: 'done'; auth: AuthenticationContext }
  | { kind: 'challenge'; challenge: MfaChallengeView };

export interface BeginOptions {
  /**
   * Factor types that prove what the first factor proved, so they are not offered: the email
   * factor after a magic link or mailed code, a passkey after a passkey.
   */
  exclude?: readonly MfaFactorType[];
  /** Kept with the challenge and handed back on success (e.g. a hosted-login transaction id). */
  context?: Record<string, unknown>;
  /**
   * The relying party asked for multi-factor (OIDC `acr_values`): a user without a factor enrols
   * one under `optional` too (never under `off`).
   */
  force?: boolean;
}

/** A live challenge as a page shows it (nothing spent). */
export interface MfaPending {
  user: UserRow;
  factors: FactorSummary[];
  enrolment: boolean;
  context: Record<string, unknown>;
}

export interface SecondFactorInput {
  factor: SecondFactorKind;
  code?: string | undefined;
  response?: unknown;
}

/** A passed MFA step: whom to sign in and how they authenticated. */
export interface MfaPassed {
  user: UserRow;
  auth: AuthenticationContext;
  context: Record<string, unknown>;
}

/**
 * The sign-in step between the first factor and the second, without HTTP, so the JSON API and
 * the hosted login share it. `begin` after any first factor; `verify` with the mfa_token.
 */
export interface MfaStepService {
  /**
   * `amr` is what the first factor proved (`["pwd"]`, `["otp"]`, a user-verified passkey's
   * `["hwk", "user", "mfa"]`). Done at once when the tenant's `mfa` is off, when `amr` is already
   * multi-factor, or when the user has no usable factor and the policy does not require one.
   */
  begin(
    tenant: TenantContext,
    user: UserRow,
    amr: readonly string[],
    meta: RequestMeta,
    options?: BeginOptions,
  ): Promise<MfaBegin>;
  /**
   * Checks the second factor under the lockout and spends the challenge. Throws
   * `mfa_token_invalid`, `invalid_mfa_code` (one of the token's attempts gone) or the lockout's 429.
   */
  verify(
    tenant: TenantContext,
    mfaToken: string,
    input: SecondFactorInput,
    meta: RequestMeta,
  ): Promise<MfaPassed>;
  /** Mails a code for the `email_otp` factor of the challenge's user. */
  sendEmailCode(
    tenant: TenantContext,
    mfaToken: string,
    locale: string,
    meta: RequestMeta,
  ): Promise<void>;
  /** Passkey request options for the challenge's user. */
  passkeyOptions(
    tenant: TenantContext,
    mfaToken: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** What a live challenge is for (its user and factors), for the hosted MFA page; not spent. */
  describe(tenant: TenantContext, mfaToken: string): Promise<MfaPending>;
  /** The user of an enrolment-only challenge (not spent); `mfa_token_invalid` for any other token. */
  enrolling(
    tenant: TenantContext,
    mfaToken: string,
  ): Promise<{ user: UserRow; exclude: MfaFactorType[] }>;
  /** Spends an enrolment challenge once its user confirmed a factor proving `factorAmr`. */
  finishEnrolment(
    tenant: TenantContext,
    mfaToken: string,
    factorAmr: readonly string[],
    meta: RequestMeta,
  ): Promise<MfaPassed>;
}

/** Five minutes to type a code; five wrong codes per token (then sign in again). */
const MFA_TOKEN_TTL_SECONDS = 300;
const MFA_TOKEN_MAX_ATTEMPTS = 5;
const MFA_TOKEN_PREFIX = 'hjmfa_';

/** What each second factor adds to `amr` (RFC 8176). */
function factorAmr(factor: SecondFactorKind, userVerified = false): string[] {
  if (factor === 'webauthn') return userVerified ? ['hwk', 'user'] : ['hwk'];
  return ['otp'];
}

interface ChallengeMeta {
  enrolment: boolean;
  exclude: MfaFactorType[];
  context: Record<string, unknown>;
}

function metaOf(challenge: MfaChallengeRow): ChallengeMeta {
  const m = challenge.meta;
  const exclude = Array.isArray(m['exclude'])
    ? (m['exclude'] as unknown[]).filter((t): t is MfaFactorType => typeof t === 'string')
    : [];
  const context =
    typeof m['context'] === 'object' && m['context'] !== null
      ? (m['context'] as Record<string, unknown>)
      : {};
  return { enrolment: m['enrolment'] === true, exclude, context };
}

export function createMfaStepService(deps: {
  checks: FactorChecks;
  guard: CodeGuard;
  emailCodes: MfaEmailCodes;
  passkeys?: PasskeySecondFactor | undefined;
}): MfaStepService {
  const { checks, guard } = deps;

  async function liveChallenge(
    tenant: TenantContext,
    mfaToken: string,
  ): Promise<{ challenge: MfaChallengeRow; user: UserRow; meta: ChallengeMeta }> {
    const challenge = await tenant.db.mfaChallenges.findLiveByHash(sha256Hex(mfaToken), new Date());
    const user = challenge ? await tenant.db.users.findById(challenge.userId) : undefined;
    if (!challenge || !user || user.status !== 'active') throw new AppError('mfa_token_invalid');
    return { challenge, user, meta: metaOf(challenge) };
  }

  async function usableFactors(tenant: TenantContext, userId: string, exclude: readonly string[]) {
    const factors = await tenant.db.mfaFactors.listByUser(userId, { confirmedOnly: true });
    return factors.filter((f) => !exclude.includes(f.type));
  }

  async function hasFactor(
    tenant: TenantContext,
    userId: string,
    type: MfaFactorType,
    meta: ChallengeMeta,
  ): Promise<boolean> {
    if (meta.exclude.includes(type)) return false;
    const factors = await tenant.db.mfaFactors.listByUser(userId, { confirmedOnly: true, type });
    return factors.length > 0;
  }

  /** Whether the factor is right; `reason` says why not, for the audit log. */
  async function check(
    tenant: TenantContext,
    user: UserRow,
    meta: ChallengeMeta,
    input: SecondFactorInput,
  ): Promise<{ ok: boolean; reason?: string; userVerified?: boolean; factorId?: string }> {
    const now = new Date();
    const code = input.code ?? '';
    switch (input.factor) {
      case 'totp': {
        if (!(await hasFactor(tenant, user.id, 'totp', meta)))
          return { ok: false, reason: 'no_factor' };
        const result = await checks.totp(tenant, user.id, code, now);
        return result.ok
          ? { ok: true, factorId: result.factorId }
          : { ok: false, reason: result.reason === 'replayed' ? 'replayed_code' : 'wrong_code' };
      }
      case 'recovery_code': {
        const ok = await checks.recoveryCode(tenant, user.id, code, now);
        return ok ? { ok } : { ok, reason: 'wrong_code' };
      }
      case 'email_otp': {
        if (!(await hasFactor(tenant, user.id, 'email_otp', meta))) {
          return { ok: false, reason: 'no_factor' };
        }
        const ok = await deps.emailCodes.consume(tenant, user, code, now);
        return ok ? { ok } : { ok, reason: 'wrong_code' };
      }
      case 'webauthn': {
        if (!deps.passkeys || meta.exclude.includes('webauthn')) {
          return { ok: false, reason: 'no_factor' };
        }
        const result = await deps.passkeys.verify(tenant, user.id, input.response);
        return result.ok
          ? { ok: true, userVerified: result.userVerified, factorId: result.factorId }
          : { ok: false, reason: 'wrong_assertion' };
      }
    }
  }

  async function summariesOf(
    tenant: TenantContext,
    userId: string,
    factors: ReadonlyArray<{ id: string; type: MfaFactorType; name: string | null }>,
    enrolment: boolean,
  ): Promise<FactorSummary[]> {
    const summaries: FactorSummary[] = factors.map((f) => ({
      id: f.id,
      type: f.type,
      name: f.name,
    }));
    if (!enrolment && (await tenant.db.recoveryCodes.countRemaining(userId)) > 0) {
      summaries.push({ id: null, type: 'recovery_code', name: null });
    }
    return summaries;
  }

  async function pass(
    tenant: TenantContext,
    challenge: MfaChallengeRow,
    user: UserRow,
    meta: ChallengeMeta,
    added: readonly string[],
    request: RequestMeta,
    details: Record<string, unknown>,
  ): Promise<MfaPassed> {
    // The single-use gate: of two racing right answers, one signs in.
    if (!(await tenant.db.mfaChallenges.consume(challenge.id, new Date()))) {
      throw new AppError('mfa_token_invalid');
    }
    const amr = mergeAmr(challenge.amr, added, ['mfa']);
    await audit(tenant.db, request, {
      action: 'mfa.verified',
      outcome: 'success',
      userId: user.id,
      details,
    });
    return { user, auth: { amr, acr: acrOf(amr) }, context: meta.context };
  }

  return {
    async begin(tenant, user, amr, request, options = {}) {
      const policy = tenant.policy.mfa;
      if (policy === 'off' || amr.includes('mfa')) return { kind: 'done', auth: singleFactor(amr) };
      const exclude = [...(options.exclude ?? [])];
      const factors = await usableFactors(tenant, user.id, exclude);
      const enrolment = factors.length === 0;
      if (enrolment && policy !== 'required' && options.force !== true) {
        return { kind: 'done', auth: singleFactor(amr) };
      }
      const summaries = await summariesOf(tenant, user.id, factors, enrolment);
      const { token, hash } = generateOpaqueSecret(MFA_TOKEN_PREFIX, 32);
      await tenant.db.mfaChallenges.create({
        userId: user.id,
        tokenHash: hash,
        amr,
        maxAttempts: MFA_TOKEN_MAX_ATTEMPTS,
        expiresAt: new Date(Date.now() + MFA_TOKEN_TTL_SECONDS * 1000),
        meta: {
          enrolment,
          exclude,
          context: options.context ?? {},
          ip: request.ip ?? null,
          user_agent: request.userAgent?.slice(0, 512) ?? null,
        },
      });
      await audit(tenant.db, request, {
        action: 'mfa.challenged',
        outcome: 'success',
        userId: user.id,
        details: { amr: [...amr], ...(enrolment ? { enrolment_required: true } : {}) },
      });
      return {
        kind: 'challenge',
        challenge: {
          mfa_required: true,
          mfa_token: token,
          factors: summaries,
          expires_in: MFA_TOKEN_TTL_SECONDS,
          ...(enrolment ? { enrolment_required: true as const } : {}),
        },
      };
    },

    async verify(tenant, mfaToken, input, request) {
      const { challenge, user, meta } = await liveChallenge(tenant, mfaToken);
      // An enrolment token proves one factor only: it may enrol, never pass the step.
      if (meta.enrolment) throw new AppError('mfa_token_invalid');
      let result: Awaited<ReturnType<typeof check>> = { ok: false };
      try {
        const ok = await guard.run(tenant, user, request, async () => {
          result = await check(tenant, user, meta, input);
          return result.ok;
        });
        result = { ...result, ok };
      } catch (error) {
        await audit(tenant.db, request, {
          action: 'mfa.failed',
          outcome: 'denied',
          userId: user.id,
          details: {
            factor: input.factor,
            reason: error instanceof AppError ? error.code : 'guard',
          },
        });
        throw error;
      }
      if (!result.ok) {
        const left = await tenant.db.mfaChallenges.recordFailedAttempt(challenge.id);
        await audit(tenant.db, request, {
          action: 'mfa.failed',
          outcome: 'failure',
          userId: user.id,
          details: {
            factor: input.factor,
            reason: result.reason ?? 'wrong_code',
            attempts_left: left,
          },
        });
        throw new AppError(
          'invalid_mfa_code',
          left > 0 ? undefined : 'That was the last attempt for this MFA token; sign in again.',
        );
      }
      return pass(
        tenant,
        challenge,
        user,
        meta,
        factorAmr(input.factor, result.userVerified),
        request,
        { factor: input.factor, ...(result.factorId ? { factor_id: result.factorId } : {}) },
      );
    },

    async sendEmailCode(tenant, mfaToken, locale, request) {
      const { user, meta } = await liveChallenge(tenant, mfaToken);
      if (meta.enrolment || !(await hasFactor(tenant, user.id, 'email_otp', meta))) {
        throw new AppError(
          'mfa_factor_not_found',
          'The user has no email factor to send a code to.',
        );
      }
      await deps.emailCodes.send(tenant, user, locale);
      await audit(tenant.db, request, {
        action: 'mfa.challenged',
        outcome: 'success',
        userId: user.id,
        details: { factor: 'email_otp', code_sent: true },
      });
    },

    async passkeyOptions(tenant, mfaToken) {
      const { user, meta } = await liveChallenge(tenant, mfaToken);
      if (
        meta.enrolment ||
        !deps.passkeys ||
        !(await hasFactor(tenant, user.id, 'webauthn', meta))
      ) {
        throw new AppError('mfa_factor_not_found', 'The user has no passkey to use here.');
      }
      return deps.passkeys.options(tenant, user.id);
    },

    async describe(tenant, mfaToken) {
      const { user, meta } = await liveChallenge(tenant, mfaToken);
      const factors = meta.enrolment ? [] : await usableFactors(tenant, user.id, meta.exclude);
      return {
        user,
        factors: await summariesOf(tenant, user.id, factors, meta.enrolment),
        enrolment: meta.enrolment,
        context: meta.context,
      };
    },

    async enrolling(tenant, mfaToken) {
      const { user, meta } = await liveChallenge(tenant, mfaToken);
      if (!meta.enrolment) throw new AppError('mfa_token_invalid');
      return { user, exclude: meta.exclude };
    },

    async finishEnrolment(tenant, mfaToken, added, request) {
      const { challenge, user, meta } = await liveChallenge(tenant, mfaToken);
      if (!meta.enrolment) throw new AppError('mfa_token_invalid');
      return pass(tenant, challenge, user, meta, added, request, { enrolment: true });
    },
  };
}
