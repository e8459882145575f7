import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { audit } from '../../audit/audit';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { PasskeySecondFactor } from '../mfa';
import { CHALLENGE_TTL_SECONDS, issueChallenge } from './challenges';
import { AuthenticationCredential } from './passkeys.schemas';
import type { RelyingParties } from './relying-party';
import { checkAssertion } from './verify-assertion';

/** The request has no meta here: the MFA step audits the attempt itself. */
const NO_REQUEST = { ip: undefined, userAgent: undefined };

/**
 * A passkey as the second factor of the MFA step: options list the user's passkeys; the answer
 * must sign a live `second_factor` challenge of that same user. Presence suffices here (the
 * first factor was already passed); `userVerified` lets the step record 'user' in amr.
 */
export function createPasskeySecondFactor(deps: {
  relyingPartyOf: RelyingParties;
}): PasskeySecondFactor {
  return {
    async options(tenant: TenantContext, userId: string) {
      const rp = deps.relyingPartyOf(tenant);
      const passkeys = await tenant.db.mfaFactors.listByUser(userId, {
        type: 'webauthn',
        confirmedOnly: true,
      });
      return generateAuthenticationOptions({
        rpID: rp.id,
        allowCredentials: passkeys.flatMap((p) =>
          p.credentialId === null ? [] : [{ id: p.credentialId, transports: p.transports }],
        ),
        userVerification: 'preferred',
        challenge: await issueChallenge(tenant, 'second_factor', userId),
        timeout: CHALLENGE_TTL_SECONDS * 1000,
      });
    },

    async verify(tenant: TenantContext, userId: string, response: unknown) {
      const parsed = AuthenticationCredential.safeParse(response);
      if (!parsed.success) return { ok: false };
      const checked = await checkAssertion(
        tenant,
        deps.relyingPartyOf(tenant),
        'second_factor',
        parsed.data,
        { userId, requireUserVerification: false },
      );
      if (!checked.ok) {
        if (checked.reason === 'sign_count_regression') {
          // A cloned authenticator is worth its own line, whatever the MFA step records.
          await audit(tenant.db, NO_REQUEST, {
            action: 'user.signed_in',
            outcome: 'failure',
            userId,
            details: { method: 'passkey', step: 'second_factor', reason: checked.reason },
          });
        }
        return { ok: false };
      }
      return { ok: true, factorId: checked.factor.id, userVerified: checked.userVerified };
    },
  };
}
