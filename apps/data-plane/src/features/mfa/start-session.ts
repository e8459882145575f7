import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { AuthenticationContext } from '../../tokens/authentication-context';
import type { SessionTokens, TokenPair } from '../../tokens/session-tokens';

/** Starts the session a passed MFA step signs in to (JSON API). */
export type StartMfaSession = (
  tenant: TenantContext,
  userId: string,
  auth: AuthenticationContext,
  meta: RequestMeta,
) => Promise<TokenPair>;

export function createStartMfaSession(tokens: SessionTokens): StartMfaSession {
  return async function startMfaSession(tenant, userId, auth, meta) {
    const pair = await tokens.startSession(tenant.db, tenant, userId, meta, auth);
    await audit(tenant.db, meta, {
      action: 'user.signed_in',
      outcome: 'success',
      userId,
      details: { amr: [...auth.amr] },
    });
    return pair;
  };
}
