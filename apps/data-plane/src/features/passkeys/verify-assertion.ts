import type { MfaFactorRow, WebAuthnChallengePurpose } from '@hellojohn/dal';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { TenantContext } from '../../tenancy/tenant-context';
import { answeredChallenge, spendChallenge } from './challenges';
import type { AuthenticationCredential } from './passkeys.schemas';
import type { RelyingParty } from './relying-party';
import { encodedUserHandleOf, normalizeCredentialId } from './user-handle';

/** Why an assertion was refused (audit detail; the client only ever sees one error). */
export type AssertionFailure =
  'unknown_challenge' | 'unknown_credential' | 'invalid_assertion' | 'sign_count_regression';

export type AssertionCheck =
  | { ok: true; factor: MfaFactorRow; userVerified: boolean }
  | { ok: false; reason: AssertionFailure; factor?: MfaFactorRow | undefined };

/**
 * Checks a passkey assertion: spends the challenge it signed (for `purpose`, and `userId` when
 * the ceremony is for a known user), finds the passkey in this tenant (another tenant's passkey
 * is simply unknown here), verifies origin, RP ID, flags and signature, then the signature
 * counter, and records the use (new counter, backup state).
 */
export async function checkAssertion(
  tenant: TenantContext,
  rp: RelyingParty,
  purpose: WebAuthnChallengePurpose,
  credential: z.output<typeof AuthenticationCredential>,
  options: { userId?: string; requireUserVerification: boolean },
): Promise<AssertionCheck> {
  const challenge = answeredChallenge(credential.response.clientDataJSON);
  if (challenge === undefined) return { ok: false, reason: 'invalid_assertion' };
  const spent = await spendChallenge(tenant, purpose, challenge);
  const factor = await tenant.db.mfaFactors.findByCredentialId(
    normalizeCredentialId(credential.id),
  );
  if (!spent || (options.userId !== undefined && spent.userId !== options.userId)) {
    // The passkey, if it is one, only names whom the audit line is about.
    return { ok: false, reason: 'unknown_challenge', factor };
  }
  const usable =
    factor?.type === 'webauthn' &&
    factor.confirmedAt !== null &&
    factor.publicKey !== null &&
    factor.credentialId !== null &&
    (options.userId === undefined || factor.userId === options.userId);
  if (!factor || !usable || factor.publicKey === null || factor.credentialId === null) {
    return { ok: false, reason: 'unknown_credential' };
  }
  // A discoverable credential names its user; it must be the passkey's holder.
  const handle = credential.response.userHandle;
  if (handle !== undefined && handle.replace(/=+$/, '') !== encodedUserHandleOf(factor.userId)) {
    return { ok: false, reason: 'unknown_credential', factor };
  }

  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.id,
      credential: {
        id: factor.credentialId,
        publicKey: Uint8Array.from(Buffer.from(factor.publicKey, 'base64url')),
        // Counter 0 turns the library's own counter check off: ours below runs only once the
        // signature is proven, so a forged assertion can never pass for a cloned authenticator.
        counter: 0,
        transports: factor.transports,
      },
      requireUserVerification: options.requireUserVerification,
    });
  } catch {
    return { ok: false, reason: 'invalid_assertion', factor };
  }
  if (!verified.verified) return { ok: false, reason: 'invalid_assertion', factor };
  const { newCounter, userVerified, credentialBackedUp } = verified.authenticationInfo;
  // WebAuthn §6.1.1: a counter that does not grow (when either side is non-zero) means two
  // authenticators hold the key: a clone. Refused, and the caller audits it.
  if ((newCounter > 0 || factor.signCount > 0) && newCounter <= factor.signCount) {
    return { ok: false, reason: 'sign_count_regression', factor };
  }
  await tenant.db.mfaFactors.recordUse(factor.id, {
    at: new Date(),
    signCount: newCounter,
    backupState: credentialBackedUp,
  });
  return { ok: true, factor, userVerified };
}
