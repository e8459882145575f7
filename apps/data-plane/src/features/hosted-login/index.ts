import type { PasswordHasher } from '@hellojohn/tokens';
import { deriveSubkey } from '@hellojohn/tokens';
import type { PasswordAuthenticator } from '../../credentials/authenticate-password';
import type { Keyring } from '../../keys/keyring';
import type { ResourceCatalogue } from '../../oauth2';
import type { ClientDirectory } from '../../oauth2/client-directory';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { MailTokens } from '../../one-time-tokens';
import type { EmailVerificationService } from '../email-verification';
import type { PasswordResetService } from '../password-reset';
import type { PasswordlessService } from '../passwordless';
import type { MfaService, MfaStepService } from '../mfa';
import { accountRecoveryRoutes } from './account-recovery.routes';
import { createAccountRecoveryService } from './account-recovery.service';
import { createCsrf } from './csrf';
import { endSessionRoutes } from './end-session.routes';
import { createEndSessionService } from './end-session.service';
import { hostedLoginRoutes } from './hosted-login.routes';
import { invitationPageRoutes, type InvitationPageDeps } from './invitation-page.routes';
import { hostedMfaRoutes } from './mfa-step.routes';
import { createHostedMfaService } from './mfa-step.service';
import { createHostedLoginService, type HostedLoginService } from './hosted-login.service';
import { createSignUpService } from './sign-up.service';
import {
  createExternalSignIn,
  type ExternalSignIn,
  type FederatedButtonSource,
} from './external-sign-in';
import { passkeyRoutes, type HostedPasskeys } from './passkey.routes';

/**
 * The hosted login: `/oauth2/authorize`, the sign-in, sign-up and consent pages, end-session, and
 * the pages the mails link to (forgot password, reset, verify email, sign-in link).
 */
export interface HostedLoginModule {
  service: HostedLoginService;
  /** What a sign-in through an upstream identity provider borrows (features/federation). */
  externalSignIn: ExternalSignIn;
  endpoints: ReturnType<typeof hostedLoginRoutes> &
    ReturnType<typeof endSessionRoutes> &
    ReturnType<typeof accountRecoveryRoutes> &
    ReturnType<typeof invitationPageRoutes> &
    ReturnType<typeof hostedMfaRoutes> &
    ReturnType<typeof passkeyRoutes>;
}

export function createHostedLoginModule(deps: {
  clients: ClientDirectory;
  /** The tenant's API resources, which authorization requests may name (RFC 8707). */
  resources: ResourceCatalogue;
  keyring: Keyring;
  passwords: PasswordAuthenticator;
  hashers: (cost: number) => PasswordHasher;
  masterKey: Buffer;
  /** Mails a new account its verification link (`require_email_verification`). */
  sendVerification?: (tenant: TenantContext, userId: string, locale: string) => Promise<void>;
  /** The mail flows whose links the hosted pages open (their services hold every rule). */
  mail: {
    mailTokens: MailTokens;
    passwordReset: PasswordResetService;
    emailVerification: EmailVerificationService;
    passwordless: PasswordlessService;
  };
  /** The second step after the first factor, and enrolment under `mfa: required` (features/mfa). */
  mfa: { step: MfaStepService; service: MfaService };
  /** Passkey sign-in and registration (features/passkeys), for the passkey button and offer. */
  passkeys: Pick<HostedPasskeys, 'registration' | 'signIn'>;
  /** The invitation page's offer and acceptance (features/organizations). */
  invitations: InvitationPageDeps['invitations'];
  /** The tenant's enabled upstream identity providers, one button each (features/federation). */
  federatedButtons?: FederatedButtonSource;
}): HostedLoginModule {
  const service = createHostedLoginService({
    clients: deps.clients,
    resources: deps.resources,
    passwords: deps.passwords,
    mfa: deps.mfa.step,
  });
  const hostedMfa = createHostedMfaService({
    hostedLogin: service,
    step: deps.mfa.step,
    mfa: deps.mfa.service,
    masterKey: deps.masterKey,
  });
  // A key of its own: CSRF tokens can never be confused with anything else the master key signs.
  const csrf = createCsrf(deriveSubkey(deps.masterKey, 'hosted-login-csrf:data-plane'));
  const signUp = createSignUpService({
    hashers: deps.hashers,
    sendVerification: deps.sendVerification,
  });
  const endSession = createEndSessionService({ clients: deps.clients, keyring: deps.keyring });
  const recovery = createAccountRecoveryService({ ...deps.mail, hostedLogin: service });
  const externalSignIn = createExternalSignIn(service, csrf);
  return {
    service,
    externalSignIn,
    endpoints: {
      ...hostedLoginRoutes({
        service,
        signUp,
        csrf,
        external: { signIn: externalSignIn, buttons: deps.federatedButtons },
      }),
      ...endSessionRoutes({ service, endSession, csrf }),
      ...accountRecoveryRoutes({ recovery, service, csrf }),
      ...invitationPageRoutes({
        invitations: deps.invitations,
        service,
        csrf,
        sealKey: deriveSubkey(deps.masterKey, 'hosted-return:invitation-token'),
      }),
      ...hostedMfaRoutes({ service, mfa: hostedMfa, csrf }),
      ...passkeyRoutes({
        service,
        csrf,
        ...deps.passkeys,
        factorOptions: (tenant, mfaToken) => deps.mfa.step.passkeyOptions(tenant, mfaToken),
      }),
    },
  };
}

export { servePasskeyAsset } from './passkey-assets';
export type { ExternalSignIn, FederatedProviderButton } from './external-sign-in';
export type { Interaction } from './hosted-login.service';
