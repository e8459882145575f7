import type { LimiterStore } from '@hellojohn/abuse';
import type { Endpoint, Guard } from '@hellojohn/http';
import type { Keyring } from '../keys/keyring';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { createClientAuthentication, type ClientPolicy } from './authenticate-client';
import { createClientDirectory, type ClientDirectory } from './client-directory';
import { createTokenFinder } from './find-token';
import { createIntrospection, introspectEndpoint } from './introspect';
import { createRevocation, revokeEndpoint } from './revoke';
import { createResourceCatalogue, type ResourceCatalogue } from './resource-catalogue';
import { createRevokedTokens } from './revoked-tokens';
import { tokenEndpoint } from './token';
import { createRefreshRotation } from '../tokens/rotate-refresh-token';
import { createSessionTokens } from '../tokens/session-tokens';
import { userinfoEndpoints, type UserinfoEndpoints } from './userinfo';

/** The tenant's OAuth 2.0 authorization server (docs/oidc.md): endpoints, client auth, caches. */
export interface OAuth2Module {
  endpoints: { token: Endpoint; introspect: Endpoint; revoke: Endpoint } & UserinfoEndpoints;
  /** The route table's client-authentication guard (RFC 6749 §2.3), by who may call. */
  authenticateClient: (policy: ClientPolicy) => Guard;
  /** OAuth clients read from the control plane; `client.*` events and reconnects drop them. */
  clients: ClientDirectory;
  /** API resources read from the control plane; `resource.*` events and reconnects drop them. */
  resources: ResourceCatalogue;
}

/**
 * Wires the OAuth endpoints. `store` is the rate limits' store (Redis or memory), which also keeps
 * the revoked client_credentials tokens; `keyPrefix` namespaces its keys like the limits'.
 */
export function createOAuth2Module(deps: {
  controlPlane: Pick<ControlPlaneClient, 'getClient' | 'listResources'>;
  keyring: Keyring;
  store: LimiterStore;
  keyPrefix: string;
  /** Seals refresh-token successors within the reuse interval (as the first-party refresh does). */
  masterKey: Buffer;
}): OAuth2Module {
  const clients = createClientDirectory({ client: deps.controlPlane });
  const resources = createResourceCatalogue({ client: deps.controlPlane });
  const revoked = createRevokedTokens(deps.store, { keyPrefix: deps.keyPrefix });
  const findToken = createTokenFinder(deps.keyring, resources);
  const sessionTokens = createSessionTokens(deps.keyring);
  const rotation = createRefreshRotation({ tokens: sessionTokens, masterKey: deps.masterKey });
  return {
    endpoints: {
      token: tokenEndpoint({ keyring: deps.keyring, sessionTokens, rotation, resources }),
      ...userinfoEndpoints(deps.keyring, clients),
      introspect: introspectEndpoint(createIntrospection({ findToken, revoked, clients })),
      revoke: revokeEndpoint(createRevocation({ findToken, revoked })),
    },
    authenticateClient: createClientAuthentication({ clients }),
    clients,
    resources,
  };
}

export { authorizationServerMetadata } from './discovery';
export { verifyIdTokenHint } from './id-token';
export { oauthPathErrors } from './oauth-path-errors';
export { scopeNamesOf } from './resource-indicator';
export type { ApiResource, ResourceCatalogue } from './resource-catalogue';
