import { InternalClient } from '@hellojohn/contracts';
import type { OAuthClient } from '../../oauth2/client-directory';
import type { TenantContext } from '../../tenancy/tenant-context';
import { pathsOf } from './page-context';

/**
 * The hosted sign-in also runs for the tenant's own pages, not only for an authorization request:
 * a page (today only the invitation page) opens a login transaction of this reserved client,
 * whose "redirect URI" is that page, and the sign-in comes back to it with `?tx=` instead of
 * issuing a code. Real client ids are `hjc_…`, so this one can never name a registered client.
 */
export const HOSTED_RETURN_CLIENT_ID = 'hosted:return';

/** The pages a hosted sign-in may return to: a fixed list, so a return is never an open redirect. */
export type ReturnTarget = 'invitation';

/** The absolute URL of a return target under the tenant's issuer. */
export function returnUrlOf(tenant: TenantContext, target: ReturnTarget): string {
  const issuer = new URL(tenant.config.issuer);
  return `${issuer.origin}${pathsOf(tenant)[target]}`;
}

/** The allow-listed target a stored return URL names, or undefined for anything else. */
export function returnTargetOf(tenant: TenantContext, url: string): ReturnTarget | undefined {
  return url === returnUrlOf(tenant, 'invitation') ? 'invitation' : undefined;
}

/**
 * The stand-in client of a return transaction: first party (no consent page), named after the
 * tenant ("to continue to Acme"), and allowed only the return targets as redirect URIs. Parsed
 * through the contract so fields added to clients later get their defaults here too.
 */
export function returnClientOf(tenant: TenantContext): OAuthClient {
  const now = new Date(0).toISOString();
  return InternalClient.parse({
    client_id: HOSTED_RETURN_CLIENT_ID,
    tenant_id: tenant.config.id,
    name: tenant.config.name,
    type: 'public',
    redirect_uris: [returnUrlOf(tenant, 'invitation')],
    grant_types: [],
    scopes: [],
    secret_hash: null,
    first_party: true,
    created_at: now,
    updated_at: now,
  });
}
