import type { SessionRow, UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import { acrOf } from '../../tokens/authentication-context';
import {
  openTotpSecret,
  type Enroller,
  otpauthUri,
  qrSvgOf,
  type MfaPassed,
  type MfaPending,
  type MfaService,
  type MfaStepService,
  type SecondFactorInput,
} from '../mfa';
import type { BrowserSession, HostedLoginService, Interaction } from './hosted-login.service';

/** An authenticator app being set up: what the enrolment page shows. */
export interface TotpSetup {
  factorId: string;
  secret: string;
  qrSvg: string;
}

/** A confirmed enrolment: the browser session, and the recovery codes to show once (if new). */
export interface Enrolled {
  session: BrowserSession;
  recoveryCodes: string[] | undefined;
}

/**
 * The hosted login's second step (docs/mfa.md, "Hosted login"): the rules are the MFA core's
 * (features/mfa); this binds its mfa_token to the login transaction and ends in a browser session
 * instead of a token pair.
 */
export interface HostedMfaService {
  /** The live challenge of this transaction (`mfa_token_invalid` when gone or another's). */
  pending(tenant: TenantContext, interaction: Interaction, mfaToken: string): Promise<MfaPending>;
  /** Checks the second factor and starts (or steps up) the browser session with its amr/acr. */
  verify(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    input: SecondFactorInput,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<BrowserSession>;
  sendEmailCode(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    locale: string,
    meta: RequestMeta,
  ): Promise<void>;
  /** The enrolling user, and whether the email factor may be their alternative. */
  enrolling(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
  ): Promise<{ user: UserRow; emailOffered: boolean }>;
  /** A new authenticator app (the previous unconfirmed one is replaced). */
  startTotp(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    meta: RequestMeta,
  ): Promise<TotpSetup>;
  /** The pending authenticator again, so a mistyped code does not mean scanning a new QR code. */
  pendingTotp(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    factorId: string,
  ): Promise<TotpSetup | undefined>;
  confirmTotp(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    factorId: string,
    code: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<Enrolled>;
  startEmail(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    locale: string,
    meta: RequestMeta,
  ): Promise<void>;
  confirmEmail(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
    code: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<Enrolled>;
}

/** Codes as people type them: `123 456`, `123-456`. */
export const digitsOf = (code: string | undefined): string => (code ?? '').replace(/[\s-]/g, '');

export function createHostedMfaService(deps: {
  hostedLogin: HostedLoginService;
  step: MfaStepService;
  mfa: MfaService;
  masterKey: Buffer;
}): HostedMfaService {
  const { step } = deps;

  async function pending(tenant: TenantContext, interaction: Interaction, mfaToken: string) {
    const found = await step.describe(tenant, mfaToken);
    // A token is good on the pages of the transaction whose sign-in made it, nowhere else.
    if (found.context['tx_id'] !== interaction.tx.id) throw new AppError('mfa_token_invalid');
    return found;
  }

  async function enroller(
    tenant: TenantContext,
    interaction: Interaction,
    mfaToken: string,
  ): Promise<Enroller> {
    await pending(tenant, interaction, mfaToken);
    const { user, exclude } = await step.enrolling(tenant, mfaToken);
    return { user, mfaToken, exclude, browser: true };
  }

  async function signedIn(
    tenant: TenantContext,
    passed: MfaPassed,
    current: SessionRow | undefined,
    meta: RequestMeta,
    method: string,
  ): Promise<BrowserSession> {
    const { amr, acr } = passed.auth;
    const session = await deps.hostedLogin.startBrowserSession(
      tenant,
      passed.user.id,
      current,
      meta,
      amr,
      acr ?? acrOf(amr),
    );
    await audit(tenant.db, meta, {
      action: 'user.signed_in',
      outcome: 'success',
      userId: passed.user.id,
      details: { method, session_id: session.row.id, amr: [...amr] },
    });
    return session;
  }

  async function enrolled(
    tenant: TenantContext,
    mfaToken: string,
    recoveryCodes: string[] | undefined,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<Enrolled> {
    const passed = await step.finishEnrolment(tenant, mfaToken, ['otp'], meta);
    const session = await signedIn(tenant, passed, current, meta, 'hosted_mfa_enrolment');
    return { session, recoveryCodes };
  }

  async function totpSetup(
    tenant: TenantContext,
    user: UserRow,
    factorId: string,
    secret: string,
  ): Promise<TotpSetup> {
    const uri = otpauthUri(secret, tenant.config.name, user.email);
    // A fixed size: the page's one stylesheet stays the same for every page.
    const qrSvg = (await qrSvgOf(uri)).replace('<svg ', '<svg width="200" height="200" ');
    return { factorId, secret, qrSvg };
  }

  return {
    pending,

    async verify(tenant, interaction, mfaToken, input, current, meta) {
      await pending(tenant, interaction, mfaToken);
      const passed = await step.verify(tenant, mfaToken, input, meta);
      return signedIn(tenant, passed, current, meta, 'hosted_mfa');
    },

    async sendEmailCode(tenant, interaction, mfaToken, locale, meta) {
      await pending(tenant, interaction, mfaToken);
      await step.sendEmailCode(tenant, mfaToken, locale, meta);
    },

    async enrolling(tenant, interaction, mfaToken) {
      const { user, exclude = [] } = await enroller(tenant, interaction, mfaToken);
      return { user, emailOffered: user.emailVerified && !exclude.includes('email_otp') };
    },

    async startTotp(tenant, interaction, mfaToken, meta) {
      const who = await enroller(tenant, interaction, mfaToken);
      const started = await deps.mfa.enrolTotp(tenant, who, {}, meta);
      return totpSetup(tenant, who.user, started.factor_id, started.secret);
    },

    async pendingTotp(tenant, interaction, mfaToken, factorId) {
      const { user } = await enroller(tenant, interaction, mfaToken);
      const factor = await tenant.db.mfaFactors.findById(user.id, factorId);
      if (!factor || factor.type !== 'totp' || factor.confirmedAt !== null) return undefined;
      if (factor.secretEncrypted === null) return undefined;
      const secret = openTotpSecret(
        deps.masterKey,
        tenant.config.id,
        factor.id,
        factor.secretEncrypted,
      );
      return totpSetup(tenant, user, factor.id, secret);
    },

    async confirmTotp(tenant, interaction, mfaToken, factorId, code, current, meta) {
      const who = await enroller(tenant, interaction, mfaToken);
      const done = await deps.mfa.confirmTotp(tenant, who, factorId, code, meta);
      return enrolled(tenant, mfaToken, done.recoveryCodes, current, meta);
    },

    async startEmail(tenant, interaction, mfaToken, locale, meta) {
      const who = await enroller(tenant, interaction, mfaToken);
      await deps.mfa.enrolEmail(tenant, who, {}, locale, meta);
    },

    async confirmEmail(tenant, interaction, mfaToken, code, current, meta) {
      const who = await enroller(tenant, interaction, mfaToken);
      const done = await deps.mfa.confirmEmail(tenant, who, code, meta);
      return enrolled(tenant, mfaToken, done.recoveryCodes, current, meta);
    },
  };
}
