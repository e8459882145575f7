import { ConflictError, type MfaFactorRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import type { z } from 'zod';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import {
  answeredChallenge,
  CHALLENGE_TTL_SECONDS,
  issueChallenge,
  spendChallenge,
} from './challenges';
import type { RegistrationCredential } from './passkeys.schemas';
import type { RelyingParties } from './relying-party';
import { userHandleOf } from './user-handle';
import { recordDomainEvent } from '../../outbox';

/** Ed25519, ES256, RS256: what authenticators in use offer (WebAuthn §5.8.1 recommends these). */
const SUPPORTED_ALGORITHMS = [-8, -7, -257];

/** The `credential_id` column's width; longer ids (rare, up to 1023 bytes) are refused. */
const MAX_CREDENTIAL_ID = 512;

/** Called when a user's first second factor is confirmed; answers their new recovery codes. */
export type OnFirstFactor = (
  tenant: TenantContext,
  userId: string,
  meta: RequestMeta,
) => Promise<string[] | undefined>;

export interface PasskeyRegistration {
  factor: MfaFactorRow;
  /** Set when this passkey is the user's first second factor and the MFA core issued codes. */
  recoveryCodes?: string[] | undefined;
}

export interface PasskeyRegistrationService {
  /** Creation options for a signed-in user; their passkeys are excluded (no duplicate). */
  options(tenant: TenantContext, userId: string): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Verifies the created credential against the user's live challenge and stores the passkey. */
  register(
    tenant: TenantContext,
    userId: string,
    credential: z.output<typeof RegistrationCredential>,
    name: string | undefined,
    meta: RequestMeta,
  ): Promise<PasskeyRegistration>;
}

export function createPasskeyRegistrationService(deps: {
  relyingPartyOf: RelyingParties;
  onFirstFactor?: OnFirstFactor | undefined;
}): PasskeyRegistrationService {
  async function refuse(
    tenant: TenantContext,
    userId: string,
    meta: RequestMeta,
    reason: string,
    detail: string,
  ): Promise<never> {
    await audit(tenant.db, meta, {
      action: 'mfa.enrolled',
      outcome: 'failure',
      userId,
      details: { type: 'webauthn', reason },
    });
    throw new AppError('passkey_registration_failed', detail);
  }

  return {
    async options(tenant, userId) {
      const rp = deps.relyingPartyOf(tenant);
      const user = await tenant.db.users.findById(userId);
      if (!user) throw new AppError('user_not_found');
      const passkeys = await tenant.db.mfaFactors.listByUser(userId, { type: 'webauthn' });
      return generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.email,
        userDisplayName: user.name ?? user.email,
        userID: userHandleOf(userId),
        challenge: await issueChallenge(tenant, 'registration', userId),
        timeout: CHALLENGE_TTL_SECONDS * 1000,
        attestationType: 'none',
        excludeCredentials: passkeys.flatMap((p) =>
          p.credentialId === null ? [] : [{ id: p.credentialId, transports: p.transports }],
        ),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
    },

    async register(tenant, userId, credential, name, meta) {
      const rp = deps.relyingPartyOf(tenant);
      const challenge = answeredChallenge(credential.response.clientDataJSON);
      const spent =
        challenge === undefined
          ? undefined
          : await spendChallenge(tenant, 'registration', challenge);
      if (challenge === undefined || !spent || spent.userId !== userId) {
        return refuse(
          tenant,
          userId,
          meta,
          'unknown_challenge',
          'The challenge is unknown, expired or spent: ask for new registration options.',
        );
      }
      let info;
      try {
        const verified = await verifyRegistrationResponse({
          response: credential,
          expectedChallenge: challenge,
          expectedOrigin: [...rp.origins],
          expectedRPID: rp.id,
          requireUserVerification: false,
          supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
        });
        info = verified.verified ? verified.registrationInfo : undefined;
      } catch {
        info = undefined;
      }
      if (!info) {
        return refuse(
          tenant,
          userId,
          meta,
          'invalid_attestation',
          'The credential does not verify against this relying party (origin, RP ID or signature).',
        );
      }
      if (info.credential.id.length > MAX_CREDENTIAL_ID) {
        return refuse(
          tenant,
          userId,
          meta,
          'credential_id_too_long',
          'The credential id is too long.',
        );
      }
      const confirmed = await tenant.db.mfaFactors.listByUser(userId, { confirmedOnly: true });
      const passkeyCount = confirmed.filter((f) => f.type === 'webauthn').length;
      let factor: MfaFactorRow;
      try {
        factor = await tenant.db.transaction(async (tx) => {
          const created = await tx.mfaFactors.create({
            userId,
            type: 'webauthn',
            name: name ?? `Passkey ${String(passkeyCount + 1)}`,
            credentialId: info.credential.id,
            publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
            signCount: info.credential.counter,
            transports: credential.response.transports ?? [],
            backupEligible: info.credentialDeviceType === 'multiDevice',
            backupState: info.credentialBackedUp,
            aaguid: info.aaguid,
            confirmedAt: new Date(),
          });
          await recordDomainEvent(tx, 'mfa.enrolled', {
            user_id: userId,
            factor_id: created.id,
            type: 'webauthn',
          });
          return created;
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return refuse(
          tenant,
          userId,
          meta,
          'credential_registered',
          'This passkey is registered already.',
        );
      }
      await audit(tenant.db, meta, {
        action: 'mfa.enrolled',
        outcome: 'success',
        userId,
        target: factor.id,
        details: { type: 'webauthn', factor_id: factor.id, aaguid: info.aaguid },
      });
      const recoveryCodes =
        confirmed.length === 0 ? await deps.onFirstFactor?.(tenant, userId, meta) : undefined;
      return { factor, recoveryCodes };
    },
  };
}
