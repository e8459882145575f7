import { deriveSubkey } from '@hellojohn/tokens';
import type { PasswordAuthenticator } from '../../credentials/authenticate-password';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { ExternalSignIn, FederatedProviderButton } from '../hosted-login';
import { createFederatedAccounts } from './federated-account.service';
import { createFederationStates } from './federation-states';
import { federationRoutes } from './federation.routes';
import { createIdentityService } from './identities.service';
import { identityRoutes } from './identities.routes';
import type { IdentityProviderDirectory } from './identity-provider-directory';
import { createUpstreamClient, type UpstreamClient } from './upstream/upstream-client';

export { createIdentityProviderDirectory } from './identity-provider-directory';
export type { IdentityProviderDirectory } from './identity-provider-directory';

/** Sign-in through upstream identity providers (docs/federation.md). */
export interface FederationModule {
  /** The hosted login's round trip: start, callback, link. */
  endpoints: ReturnType<typeof federationRoutes>;
  /** `/v1/me/identities` and `/v1/admin/users/{id}/identities`. */
  identities: ReturnType<typeof identityRoutes>;
}

/**
 * The sign-in page's buttons: the tenant's enabled providers. A control plane that cannot be
 * reached (and no cached copy) hides the buttons rather than failing the password sign-in.
 */
export function federatedButtonsOf(directory: IdentityProviderDirectory) {
  return async function federatedButtons(
    tenant: TenantContext,
  ): Promise<FederatedProviderButton[]> {
    try {
      return (await directory.list(tenant.config.id))
        .filter((provider) => provider.enabled)
        .map((provider) => ({
          id: provider.id,
          name: provider.name,
          buttonLabel: provider.button_label,
          iconUrl: provider.icon_url,
        }));
    } catch {
      return [];
    }
  };
}

export function createFederationModule(deps: {
  directory: IdentityProviderDirectory;
  external: ExternalSignIn;
  passwords: PasswordAuthenticator;
  masterKey: Buffer;
  upstream?: UpstreamClient;
  logger?: { warn(obj: object, msg: string): void };
}): FederationModule {
  return {
    identities: identityRoutes(createIdentityService({ directory: deps.directory })),
    endpoints: federationRoutes({
      directory: deps.directory,
      external: deps.external,
      passwords: deps.passwords,
      upstream: deps.upstream ?? createUpstreamClient(),
      // Keys of their own: nothing else the master key seals can be confused with these.
      states: createFederationStates(deriveSubkey(deps.masterKey, 'federation-state:data-plane')),
      accounts: createFederatedAccounts({
        tokenKey: deriveSubkey(deps.masterKey, 'federation-upstream-tokens:data-plane'),
      }),
      logger: deps.logger,
    }),
  };
}
