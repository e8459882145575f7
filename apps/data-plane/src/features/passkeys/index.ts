import type { PasskeySecondFactor } from '../mfa';
import type { ConfirmRecentAuthentication } from './recent-authentication';
import type { SessionTokens } from '../../tokens/session-tokens';
import { passkeysRoutes } from './passkeys.routes';
import {
  createPasskeyRegistrationService,
  type OnFirstFactor,
  type PasskeyRegistrationService,
} from './registration.service';
import { createRelyingParties, type RelyingPartyDefaults } from './relying-party';
import { createPasskeySecondFactor } from './second-factor';
import { createPasskeySignInService, type PasskeySignInService } from './sign-in.service';

export type { RelyingPartyDefaults } from './relying-party';
export type { OnFirstFactor, PasskeyRegistrationService } from './registration.service';
export type { PasskeySignInService } from './sign-in.service';
export { PASSKEY_SIGN_IN_AMR } from './sign-in.service';
export {
  AuthenticationCredential,
  AuthenticationOptions,
  RegistrationCredential,
  RegistrationOptions,
} from './passkeys.schemas';

/**
 * Passkeys (WebAuthn): registration for signed-in users, passwordless sign-in, and the passkey
 * second factor the MFA step uses (`secondFactor`).
 */
export interface PasskeysModule {
  endpoints: ReturnType<typeof passkeysRoutes>;
  secondFactor: PasskeySecondFactor;
  /** The services behind the endpoints, for the hosted login's passkey pages. */
  registration: PasskeyRegistrationService;
  signIn: PasskeySignInService;
}

export function createPasskeysModule(deps: {
  relyingParty: RelyingPartyDefaults;
  tokens: SessionTokens;
  /** Issues recovery codes when a passkey is the user's first second factor (the MFA core). */
  onFirstFactor?: OnFirstFactor | undefined;
  /** The MFA core's re-authentication, required before the JSON API adds a passkey. */
  confirmRecentAuthentication: ConfirmRecentAuthentication;
}): PasskeysModule {
  const relyingPartyOf = createRelyingParties(deps.relyingParty);
  const registration = createPasskeyRegistrationService({
    relyingPartyOf,
    onFirstFactor: deps.onFirstFactor,
  });
  const signIn = createPasskeySignInService({ relyingPartyOf, tokens: deps.tokens });
  return {
    endpoints: passkeysRoutes({
      registration,
      signIn,
      confirmRecentAuthentication: deps.confirmRecentAuthentication,
    }),
    secondFactor: createPasskeySecondFactor({ relyingPartyOf }),
    registration,
    signIn,
  };
}
