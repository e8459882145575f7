import { endpoint } from '@hellojohn/http';
import type { MfaFactorRow } from '@hellojohn/dal';
import type { z } from 'zod';
import { requestMetaOf } from '../../audit/request-meta';
import { claimsOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import { TokenPair } from '../../tokens/token-pair.schemas';
import {
  AuthenticationOptions,
  FactorParams,
  PasskeySignInBody,
  PasskeySignInOptionsBody,
  RegistrationBody,
  RegistrationOptions,
  RegistrationOptionsBody,
  RegistrationResult,
  RenamedFactor,
  RenameFactorBody,
  type Passkey,
} from './passkeys.schemas';
import { renameFactor } from './factor-names';
import type { PasskeyRegistrationService } from './registration.service';
import type { ConfirmRecentAuthentication } from './recent-authentication';
import type { PasskeySignInService } from './sign-in.service';

const MFA_TAGS = ['mfa'];
const AUTH_TAGS = ['auth'];

function toPasskeyView(factor: MfaFactorRow): z.input<typeof Passkey> {
  return {
    factor_id: factor.id,
    type: 'webauthn',
    name: factor.name ?? 'Passkey',
    transports: factor.transports,
    backup_eligible: factor.backupEligible,
    backup_state: factor.backupState,
    created_at: factor.createdAt.toISOString(),
  };
}

/** Passkey registration, passwordless sign-in and factor names; guards are in routes/index.ts. */
export function passkeysRoutes(services: {
  registration: PasskeyRegistrationService;
  signIn: PasskeySignInService;
  confirmRecentAuthentication: ConfirmRecentAuthentication;
}) {
  const { registration, signIn, confirmRecentAuthentication } = services;
  return {
    registrationOptions: endpoint(
      {
        summary: 'Start registering a passkey',
        description:
          'Answers WebAuthn creation options for the signed-in user, who proves a recent authentication with `password` or a current `code` (a passkey signs in on its own, so a bearer token alone is not enough): pass them to `navigator.credentials.create()` (or `startRegistration({ optionsJSON })` of @simplewebauthn/browser), then post the result to `/v1/mfa/webauthn/registration` within 5 minutes. Resident key and user verification are preferred, attestation `none`; the user\'s passkeys are excluded. The relying party is the tenant\'s (docs/mfa.md, "Passkeys").',
        tags: MFA_TAGS,
        body: RegistrationOptionsBody,
        response: RegistrationOptions,
        errors: ['rate_limited', 'invalid_credentials', 'invalid_mfa_code', 'account_locked'],
      },
      async function passkeyRegistrationOptions({ body }, req, res) {
        const tenant = tenantOf(res);
        const userId = claimsOf(res).sub;
        await confirmRecentAuthentication(tenant, userId, body, requestMetaOf(req));
        const options = await registration.options(tenant, userId);
        res.setHeader('Cache-Control', 'no-store');
        return options;
      },
    ),
    register: endpoint(
      {
        summary: 'Finish registering a passkey',
        description:
          "Verifies the created credential against the challenge of the last options (single use) and the tenant's origins and RP ID, and stores it as a confirmed `webauthn` factor. When it is the user's first second factor, the answer carries their recovery codes, shown once.",
        tags: MFA_TAGS,
        body: RegistrationBody,
        response: RegistrationResult,
        status: 201,
        errors: ['passkey_registration_failed'],
      },
      async function registerPasskey({ body }, req, res) {
        const result = await registration.register(
          tenantOf(res),
          claimsOf(res).sub,
          body.response,
          body.name,
          requestMetaOf(req),
        );
        res.setHeader('Cache-Control', 'no-store');
        return {
          ...toPasskeyView(result.factor),
          ...(result.recoveryCodes ? { recovery_codes: result.recoveryCodes } : {}),
        };
      },
    ),
    signInOptions: endpoint(
      {
        summary: 'Start a passkey sign-in',
        description:
          'Answers WebAuthn request options for a discoverable credential (empty `allowCredentials`, user verification required): the same whether or not `email` has an account or passkeys. `email` only counts toward rate limits. Post the assertion to `/v1/auth/passkey` within 5 minutes.',
        tags: AUTH_TAGS,
        body: PasskeySignInOptionsBody,
        response: AuthenticationOptions,
        errors: ['rate_limited'],
      },
      async function passkeySignInOptions(_input, _req, res) {
        const options = await signIn.options(tenantOf(res));
        res.setHeader('Cache-Control', 'no-store');
        return options;
      },
    ),
    signIn: endpoint(
      {
        summary: 'Sign in with a passkey',
        description:
          'Verifies the assertion against the challenge of the options (single use), the tenant\'s origins and RP ID, user verification and the signature counter (a counter that does not grow means a cloned authenticator: refused and audited). A user-verified passkey is multi-factor by itself: the tokens carry `amr` `["hwk","user","mfa"]` and no MFA step follows. Every failure, including a disabled account, answers `invalid_passkey`.',
        tags: AUTH_TAGS,
        body: PasskeySignInBody,
        response: TokenPair,
        errors: ['invalid_passkey', 'email_not_verified', 'rate_limited'],
      },
      async function signInWithPasskey({ body }, req, res) {
        const tokens = await signIn.signIn(tenantOf(res), body.response, requestMetaOf(req));
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
    renameFactor: endpoint(
      {
        summary: 'Rename a second factor',
        description: "Names one of the signed-in user's factors (a passkey, an authenticator app).",
        tags: MFA_TAGS,
        params: FactorParams,
        body: RenameFactorBody,
        response: RenamedFactor,
        errors: ['mfa_factor_not_found'],
      },
      async function renameMfaFactor({ params, body }, _req, res) {
        const factor = await renameFactor(tenantOf(res), claimsOf(res).sub, params.id, body.name);
        return { factor_id: factor.id, type: factor.type, name: body.name };
      },
    ),
  };
}
