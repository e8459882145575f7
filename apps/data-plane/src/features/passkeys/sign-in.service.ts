import type { UserRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { z } from 'zod';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import { acrOf } from '../../tokens/authentication-context';
import type { SessionTokens, TokenPair } from '../../tokens/session-tokens';
import { CHALLENGE_TTL_SECONDS, issueChallenge } from './challenges';
import type { AuthenticationCredential } from './passkeys.schemas';
import type { RelyingParties } from './relying-party';
import { checkAssertion } from './verify-assertion';

/** RFC 8176 methods of a passwordless passkey sign-in (always user-verified, see below). */
export const PASSKEY_SIGN_IN_AMR = ['hwk', 'user', 'mfa'] as const;

export interface PasskeySignInService {
  /**
   * Request options for a discoverable credential: `allowCredentials` is always empty, so the
   * answer says nothing about any account.
   */
  options(tenant: TenantContext): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * Checks a passkey assertion and its user (active, verified email when required) and answers
   * that user, without starting anything: for a sign-in that makes its own session (the hosted
   * login's browser session). Failures are audited and throw as in `signIn`.
   */
  authenticate(
    tenant: TenantContext,
    credential: z.output<typeof AuthenticationCredential>,
    meta: RequestMeta,
  ): Promise<{ user: UserRow; factorId: string }>;
  /** Signs in with a passkey assertion: a new session and its tokens. */
  signIn(
    tenant: TenantContext,
    credential: z.output<typeof AuthenticationCredential>,
    meta: RequestMeta,
  ): Promise<TokenPair>;
}

/**
 * Passwordless sign-in. User verification is required: a verified passkey is two factors in one
 * (possession + PIN or biometrics), so no MFA step follows; a passkey that can only prove
 * presence is a second factor, never a sign-in of its own (docs/mfa.md, "Passkeys").
 */
export function createPasskeySignInService(deps: {
  relyingPartyOf: RelyingParties;
  tokens: SessionTokens;
}): PasskeySignInService {
  async function fail(
    tenant: TenantContext,
    meta: RequestMeta,
    reason: string,
    userId?: string,
  ): Promise<never> {
    await audit(tenant.db, meta, {
      action: 'user.signed_in',
      outcome: 'failure',
      userId: userId ?? null,
      details: { method: 'passkey', reason },
    });
    throw new AppError('invalid_passkey');
  }

  return {
    async options(tenant) {
      const rp = deps.relyingPartyOf(tenant);
      return generateAuthenticationOptions({
        rpID: rp.id,
        allowCredentials: [],
        userVerification: 'required',
        challenge: await issueChallenge(tenant, 'authentication', null),
        timeout: CHALLENGE_TTL_SECONDS * 1000,
      });
    },

    authenticate,

    async signIn(tenant, credential, meta) {
      const { user, factorId } = await authenticate(tenant, credential, meta);
      const pair = await deps.tokens.startSession(tenant.db, tenant, user.id, meta, {
        amr: PASSKEY_SIGN_IN_AMR,
        acr: acrOf(PASSKEY_SIGN_IN_AMR),
      });
      await audit(tenant.db, meta, {
        action: 'user.signed_in',
        outcome: 'success',
        userId: user.id,
        details: { method: 'passkey', factor_id: factorId, amr: PASSKEY_SIGN_IN_AMR },
      });
      return pair;
    },
  };

  async function authenticate(
    tenant: TenantContext,
    credential: z.output<typeof AuthenticationCredential>,
    meta: RequestMeta,
  ): Promise<{ user: UserRow; factorId: string }> {
    const rp = deps.relyingPartyOf(tenant);
    const checked = await checkAssertion(tenant, rp, 'authentication', credential, {
      requireUserVerification: true,
    });
    if (!checked.ok) return fail(tenant, meta, checked.reason, checked.factor?.userId);
    const user = await tenant.db.users.findById(checked.factor.userId);
    if (!user || user.status !== 'active') {
      return fail(tenant, meta, 'user_disabled', checked.factor.userId);
    }
    if (tenant.policy.requireEmailVerification && !user.emailVerified) {
      await audit(tenant.db, meta, {
        action: 'user.signed_in',
        outcome: 'failure',
        userId: user.id,
        details: { method: 'passkey', reason: 'email_not_verified' },
      });
      throw new AppError('email_not_verified');
    }
    return { user, factorId: checked.factor.id };
  }
}
