import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();

/** What the authenticator reports in each ceremony's flags (default: a verified synced passkey). */
export interface AuthenticatorFlags {
  userVerified?: boolean;
  backupEligible?: boolean;
  backedUp?: boolean;
}

/** One credential the software authenticator holds. */
export interface SoftCredential {
  id: Buffer;
  rpId: string;
  /** The user handle the relying party gave at registration (returned at sign-in). */
  userHandle: Buffer;
  privateKey: KeyObject;
  /** The counter the next assertion reports, unless overridden; grows by one per assertion. */
  signCount: number;
}

/**
 * A software WebAuthn authenticator for tests: ES256 (P-256) keys from node:crypto, `none`
 * attestation, authenticator data with UP/UV/BE/BS flags, CBOR by the library's isoCBOR, and
 * clientDataJSON naming the given origin and the options' challenge. It answers exactly what a
 * browser's `PublicKeyCredential.toJSON()` would, so tests drive the JSON API as an app does.
 */
export function createSoftAuthenticator(options: { origin: string; aaguid?: Buffer }) {
  const aaguid = options.aaguid ?? Buffer.alloc(16);
  const credentials: SoftCredential[] = [];

  function flagsByte(flags: AuthenticatorFlags, extra = 0): number {
    let value = FLAG_UP | extra;
    if (flags.userVerified ?? true) value |= FLAG_UV;
    if (flags.backupEligible ?? true) value |= FLAG_BE;
    if (flags.backedUp ?? flags.backupEligible ?? true) value |= FLAG_BS;
    return value;
  }

  function counterBytes(count: number): Buffer {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(count);
    return bytes;
  }

  function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  return {
    credentials,

    /** `navigator.credentials.create()` for the options; the new credential is kept. */
    register(
      creation: PublicKeyCredentialCreationOptionsJSON,
      overrides: AuthenticatorFlags & { origin?: string; rpId?: string } = {},
    ): { json: RegistrationResponseJSON; credential: SoftCredential } {
      const rpId = overrides.rpId ?? creation.rp.id ?? new URL(options.origin).hostname;
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, Buffer.from(jwk.x ?? '', 'base64url')],
          [-3, Buffer.from(jwk.y ?? '', 'base64url')],
        ]),
      );
      const id = randomBytes(32);
      const credIdLength = Buffer.alloc(2);
      credIdLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        sha256(rpId),
        Buffer.from([flagsByte(overrides, FLAG_AT)]),
        counterBytes(0),
        aaguid,
        credIdLength,
        id,
        Buffer.from(cose),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Uint8Array | Map<string, string>>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, string>()],
          ['authData', authData],
        ]),
      );
      const credential: SoftCredential = {
        id,
        rpId,
        userHandle: Buffer.from(creation.user.id, 'base64url'),
        privateKey,
        signCount: 1,
      };
      credentials.push(credential);
      const json: RegistrationResponseJSON = {
        id: b64u(id),
        rawId: b64u(id),
        type: 'public-key',
        response: {
          clientDataJSON: b64u(
            clientData('webauthn.create', creation.challenge, overrides.origin ?? options.origin),
          ),
          attestationObject: b64u(attestationObject),
          transports: ['internal', 'hybrid'],
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
      return { json, credential };
    },

    /**
     * `navigator.credentials.get()` with `credential` (default: the first one allowed, else the
     * first held). The counter grows by one unless `signCount` says what to report.
     */
    assert(
      request: PublicKeyCredentialRequestOptionsJSON,
      overrides: AuthenticatorFlags & {
        credential?: SoftCredential;
        origin?: string;
        signCount?: number;
      } = {},
    ): AuthenticationResponseJSON {
      const allowed = new Set((request.allowCredentials ?? []).map((c) => c.id));
      const credential =
        overrides.credential ?? credentials.find((c) => allowed.has(b64u(c.id))) ?? credentials[0];
      if (!credential) throw new Error('the soft authenticator holds no credential');
      const count = overrides.signCount ?? credential.signCount;
      credential.signCount = Math.max(credential.signCount, count + 1);
      const authData = Buffer.concat([
        sha256(request.rpId ?? credential.rpId),
        Buffer.from([flagsByte(overrides)]),
        counterBytes(count),
      ]);
      const clientDataJSON = clientData(
        'webauthn.get',
        request.challenge,
        overrides.origin ?? options.origin,
      );
      // ES256: ECDSA over authenticatorData || SHA-256(clientDataJSON), DER-encoded.
      const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), {
        key: credential.privateKey,
        dsaEncoding: 'der',
      });
      return {
        id: b64u(credential.id),
        rawId: b64u(credential.id),
        type: 'public-key',
        response: {
          clientDataJSON: b64u(clientDataJSON),
          authenticatorData: b64u(authData),
          signature: b64u(signature),
          userHandle: b64u(credential.userHandle),
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
    },
  };
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>;
