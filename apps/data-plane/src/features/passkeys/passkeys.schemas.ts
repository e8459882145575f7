import { z } from 'zod';
import { ProofBody } from '../mfa';
import { Email } from '../../credentials/credential.schemas';
import { Name } from '../../users/user.schemas';

/** base64url text as WebAuthn JSON carries it (padding tolerated), bounded. */
const B64 = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: 'must be base64url' });

/** A credential id: at most 1023 bytes (WebAuthn §5.8.3), base64url. */
const CredentialId = B64(1400);

const Transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/** Browser extras (`getClientExtensionResults()`), not interpreted. */
const ExtensionResults = z.record(z.string(), z.unknown());

/**
 * `PublicKeyCredential.toJSON()` of `navigator.credentials.create()` (what
 * `@simplewebauthn/browser`'s `startRegistration` returns). Members added by newer browsers are
 * dropped, not refused.
 */
export const RegistrationCredential = z
  .object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: B64(4096),
      attestationObject: B64(65_536),
      transports: z.array(Transport).max(10).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: ExtensionResults.default({}),
  })
  .describe(
    'The credential the browser created, as JSON (`startRegistration()` of @simplewebauthn/browser)',
  );

/** `PublicKeyCredential.toJSON()` of `navigator.credentials.get()` (`startAuthentication`). */
export const AuthenticationCredential = z
  .object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: B64(4096),
      authenticatorData: B64(4096),
      signature: B64(2048),
      userHandle: B64(128).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: ExtensionResults.default({}),
  })
  .describe(
    'The assertion the browser made, as JSON (`startAuthentication()` of @simplewebauthn/browser)',
  );

/**
 * A passkey signs in on its own: adding one needs proof of recent authentication (the password or
 * a current code), not only a bearer token that could have been stolen (docs/mfa.md).
 */
export const RegistrationOptionsBody = ProofBody;

export const RegistrationBody = z.strictObject({
  response: RegistrationCredential,
  name: Name.optional().describe('A name for the passkey; default "Passkey N"'),
});

export const PasskeySignInOptionsBody = z
  .strictObject({
    email: Email.optional().describe(
      'Optional, only counted by rate limits: the options never depend on it (no enumeration)',
    ),
  })
  .optional();

export const PasskeySignInBody = z.strictObject({ response: AuthenticationCredential });

const CredentialDescriptor = z.object({
  id: z.string(),
  type: z.string(),
  transports: z.array(z.string()).optional(),
});

/** `PublicKeyCredentialCreationOptionsJSON`: hand it to `startRegistration({ optionsJSON })`. */
export const RegistrationOptions = z
  .object({
    challenge: z.string(),
    rp: z.object({ name: z.string(), id: z.string().optional() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(CredentialDescriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.string().optional(),
        residentKey: z.string().optional(),
        requireResidentKey: z.boolean().optional(),
        userVerification: z.string().optional(),
      })
      .optional(),
    attestation: z.string().optional(),
    extensions: z.object({ credProps: z.boolean().optional() }).optional(),
    hints: z.array(z.string()).optional(),
  })
  .describe('WebAuthn creation options (JSON); the challenge lives 5 minutes and serves once');

/** `PublicKeyCredentialRequestOptionsJSON`: hand it to `startAuthentication({ optionsJSON })`. */
export const AuthenticationOptions = z
  .object({
    challenge: z.string(),
    rpId: z.string().optional(),
    timeout: z.number().int().optional(),
    allowCredentials: z.array(CredentialDescriptor).optional(),
    userVerification: z.string().optional(),
    extensions: z.object({ credProps: z.boolean().optional() }).optional(),
  })
  .describe('WebAuthn request options (JSON); the challenge lives 5 minutes and serves once');

/** A registered passkey. */
export const Passkey = z.object({
  factor_id: z.string(),
  type: z.literal('webauthn'),
  name: z.string(),
  transports: z.array(z.string()),
  backup_eligible: z.boolean().describe('A synced (multi-device) passkey'),
  backup_state: z.boolean().describe('Currently backed up'),
  created_at: z.string(),
});

export const RegistrationResult = Passkey.extend({
  recovery_codes: z
    .array(z.string())
    .optional()
    .describe("The user's 10 recovery codes, when this is their first second factor (shown once)"),
});

export const FactorParams = z.object({ id: z.string().min(1).max(64) });

export const RenameFactorBody = z.strictObject({ name: Name });

/** A second factor after renaming. */
export const RenamedFactor = z.object({
  factor_id: z.string(),
  type: z.enum(['totp', 'email_otp', 'webauthn']),
  name: z.string(),
});
