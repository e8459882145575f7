import { randomUUID } from 'node:crypto';
import { ConflictError, normalizeEmail, type UserRow } from '@hellojohn/dal';
import { encryptSecret } from '@hellojohn/tokens';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { recordUserCreated } from '../../outbox';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { IdentityProvider } from './identity-provider-directory';
import type { UpstreamProfile, UpstreamTokens } from './upstream/upstream-types';

/** Whom an upstream identity signs in, or why nobody. */
export type AccountOutcome =
  | { kind: 'user'; user: UserRow }
  /** An account has the email, and linking needs its password first (docs/federation.md). */
  | { kind: 'link'; user: UserRow; tokensSealed: string | null }
  | { kind: 'refused'; reason: 'sign_up_closed' | 'no_email' | 'user_disabled' };

export interface FederatedAccounts {
  /**
   * The linking rules: a known (provider, sub) signs its user in; else an account with the same
   * email is linked at once only when the provider verified the email and the tenant's
   * `federation.auto_link_verified_email` is on, otherwise it waits for the password; else a new
   * user is created when the tenant allows sign-up.
   */
  resolve(
    tenant: TenantContext,
    provider: IdentityProvider,
    upstream: { profile: UpstreamProfile; tokens: UpstreamTokens },
    meta: RequestMeta,
  ): Promise<AccountOutcome>;
  /** Links after the password proved the account (the pending link's content). */
  link(
    tenant: TenantContext,
    provider: IdentityProvider,
    input: { user: UserRow; subject: string; email: string | null; tokensSealed: string | null },
    meta: RequestMeta,
    how: 'verified_email' | 'password',
  ): Promise<void>;
}

export function createFederatedAccounts(deps: {
  /** Seals upstream tokens (a subkey of the master key). */
  tokenKey: Buffer;
}): FederatedAccounts {
  function sealTokens(
    tenant: TenantContext,
    provider: IdentityProvider,
    subject: string,
    tokens: UpstreamTokens,
  ): string | null {
    // Upstream tokens are kept only when the provider's setting asks (then encrypted).
    if (!provider.store_upstream_tokens) return null;
    return encryptSecret(
      deps.tokenKey,
      JSON.stringify(tokens),
      `federation-tokens:${tenant.config.id}:${provider.id}:${subject}`,
    );
  }

  async function linked(
    tenant: TenantContext,
    provider: IdentityProvider,
    userId: string,
    how: 'sign_up' | 'verified_email' | 'password',
    meta: RequestMeta,
  ) {
    await audit(tenant.db, meta, {
      action: 'user.identity_linked',
      outcome: 'success',
      userId,
      details: { provider_id: provider.id, provider_type: provider.type, how },
    });
  }

  const accounts: FederatedAccounts = {
    async resolve(tenant, provider, { profile, tokens }, meta) {
      const sealed = sealTokens(tenant, provider, profile.subject, tokens);
      const known = await tenant.db.userIdentities.find(provider.id, profile.subject);
      if (known) {
        const user = await tenant.db.users.findById(known.userId);
        if (!user || user.status !== 'active') return { kind: 'refused', reason: 'user_disabled' };
        await tenant.db.userIdentities.touch(known.id, new Date(), {
          email: profile.email,
          ...(sealed === null ? {} : { tokensSealed: sealed }),
        });
        return { kind: 'user', user };
      }
      const existing =
        profile.email === null
          ? undefined
          : await tenant.db.users.findByEmailNormalized(normalizeEmail(profile.email));
      if (existing) {
        if (existing.status !== 'active') return { kind: 'refused', reason: 'user_disabled' };
        if (!(profile.emailVerified && tenant.policy.federationAutoLink)) {
          return { kind: 'link', user: existing, tokensSealed: sealed };
        }
        await accounts.link(
          tenant,
          provider,
          { user: existing, subject: profile.subject, email: profile.email, tokensSealed: sealed },
          meta,
          'verified_email',
        );
        return { kind: 'user', user: existing };
      }
      if (!tenant.policy.signUpEnabled) return { kind: 'refused', reason: 'sign_up_closed' };
      // A new account needs an address; under require_email_verification, a proven one.
      if (
        profile.email === null ||
        (tenant.policy.requireEmailVerification && !profile.emailVerified)
      ) {
        return { kind: 'refused', reason: 'no_email' };
      }
      const email = profile.email;
      let user: UserRow;
      try {
        user = await tenant.db.transaction(async (tx) => {
          const created = await tx.users.create({
            id: randomUUID(),
            email,
            emailNormalized: normalizeEmail(email),
            name: profile.name?.slice(0, 200) ?? null,
            emailVerified: profile.emailVerified,
            metadata: profile.picture === null ? {} : { picture: profile.picture.slice(0, 2000) },
          });
          await tx.userIdentities.link({
            providerId: provider.id,
            subject: profile.subject,
            userId: created.id,
            email,
            tokensSealed: sealed,
          });
          await recordUserCreated(tx, created);
          return created;
        });
      } catch (error) {
        // The same person finishing twice at once (two tabs): the other request won; retry once.
        if (error instanceof ConflictError) {
          return accounts.resolve(tenant, provider, { profile, tokens }, meta);
        }
        throw error;
      }
      // The audit of any sign-up, with how it happened.
      await audit(tenant.db, meta, {
        action: 'user.signed_up',
        outcome: 'success',
        userId: user.id,
        details: { method: 'federated', provider_id: provider.id, provider_type: provider.type },
      });
      await linked(tenant, provider, user.id, 'sign_up', meta);
      return { kind: 'user', user };
    },

    async link(tenant, provider, input, meta, how) {
      try {
        await tenant.db.userIdentities.link({
          providerId: provider.id,
          subject: input.subject,
          userId: input.user.id,
          email: input.email,
          tokensSealed: input.tokensSealed,
        });
      } catch (error) {
        // Linked meanwhile (a second tab): fine when to the same user; never re-pointed.
        if (!(error instanceof ConflictError)) throw error;
        const current = await tenant.db.userIdentities.find(provider.id, input.subject);
        if (current?.userId !== input.user.id) throw error;
        return;
      }
      await linked(tenant, provider, input.user.id, how, meta);
    },
  };
  return accounts;
}
