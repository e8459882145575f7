import type { PasswordHasher } from '@hellojohn/tokens';
import type { SignInGuard } from '../../abuse/sign-in-guard';
import type { SendMail } from '../../one-time-tokens/mail-tokens';
import type { SessionTokens } from '../../tokens/session-tokens';
import { createCodeGuard } from './code-guard';
import { createMfaEmailCodes } from './email-code';
import { createFactorChecks } from './factor-checks';
import { mfaAdminRoutes } from './mfa-admin.routes';
import { mfaSignInRoutes } from './mfa-sign-in.routes';
import { createMfaStepService, type MfaStepService } from './mfa-step.service';
import { mfaRoutes } from './mfa.routes';
import { createMfaService, type MfaService } from './mfa.service';
import type { PasskeySecondFactor } from './passkey-second-factor';
import { createReauthentication } from './reauthenticate';
import { createRecoveryCodes } from './recovery-codes';
import { createStartMfaSession } from './start-session';

export type { PasskeySecondFactor } from './passkey-second-factor';
export type {
  MfaChallengeView,
  MfaPassed,
  MfaPending,
  MfaStepService,
  SecondFactorInput,
} from './mfa-step.service';
export { ProofBody, SignInResult } from './mfa.schemas';
export type { Proof } from './reauthenticate';
export type { Enroller, MfaService } from './mfa.service';
// The hosted enrolment page redraws a pending authenticator's QR code after a wrong code.
export { openTotpSecret, otpauthUri, qrSvgOf } from './totp';
// A user import brings confirmed authenticators, sealed the way enrolment seals them.
export { sealTotpSecret } from './totp';

/**
 * Multi-factor authentication (docs/mfa.md): `/v1/mfa/*` (enrolment, factors, recovery codes),
 * `/v1/auth/mfa/*` (the sign-in step) and the admin reset. `step` is the sign-in step every first
 * factor hands over to (JSON sign-in, passwordless, the hosted login).
 */
export interface MfaModule {
  service: MfaService;
  step: MfaStepService;
  endpoints: ReturnType<typeof mfaRoutes>;
  signInEndpoints: ReturnType<typeof mfaSignInRoutes>;
  adminEndpoints: ReturnType<typeof mfaAdminRoutes>;
}

export function createMfaModule(deps: {
  masterKey: Buffer;
  hashers: (cost: number) => PasswordHasher;
  tokens: SessionTokens;
  sendMail: SendMail;
  /** The password lockout: wrong codes count toward it like wrong passwords. */
  signInGuard: SignInGuard;
  /** A lockout of its own for codes, cleared only by a right code (see CodeGuard). */
  codeGuard: SignInGuard;
  /** Passkeys as a second factor (features/passkeys), when wired. */
  passkeys?: PasskeySecondFactor | undefined;
}): MfaModule {
  const recovery = createRecoveryCodes(deps.masterKey);
  const checks = createFactorChecks({ masterKey: deps.masterKey, recovery });
  const guard = createCodeGuard({ signIn: deps.signInGuard, codes: deps.codeGuard });
  const emailCodes = createMfaEmailCodes({ masterKey: deps.masterKey, sendMail: deps.sendMail });
  const step = createMfaStepService({ checks, guard, emailCodes, passkeys: deps.passkeys });
  const startSession = createStartMfaSession(deps.tokens);
  const service = createMfaService({
    masterKey: deps.masterKey,
    checks,
    guard,
    recovery,
    emailCodes,
    step,
    reauthenticate: createReauthentication({ hashers: deps.hashers, checks, guard }),
    startSession,
  });
  return {
    service,
    step,
    endpoints: mfaRoutes(service, step),
    signInEndpoints: mfaSignInRoutes(step, startSession),
    adminEndpoints: mfaAdminRoutes(service),
  };
}
