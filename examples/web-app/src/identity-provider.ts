import * as oidc from 'openid-client';
import { isLoopbackHttp, type CheckedConfig } from './config';

/** Discovery failed: HelloJohn is down, the issuer URL is wrong, or it is no OpenID Provider. */
export class IdentityProviderUnavailable extends Error {
  constructor(
    readonly issuer: string,
    cause: unknown,
  ) {
    super(`discovery of ${issuer} failed`, { cause });
    this.name = 'IdentityProviderUnavailable';
  }
}

/**
 * The tenant as openid-client sees it, discovered from `{issuer}/.well-known/openid-configuration`
 * on first use and then kept. A failed discovery is not kept, so the app recovers by itself when
 * HelloJohn starts after it.
 */
export function identityProvider(config: CheckedConfig): () => Promise<oidc.Configuration> {
  let discovered: Promise<oidc.Configuration> | undefined;
  return function current() {
    discovered ??= discover(config).catch((error: unknown) => {
      discovered = undefined;
      throw new IdentityProviderUnavailable(config.issuer, error);
    });
    return discovered;
  };
}

function discover(config: CheckedConfig): Promise<oidc.Configuration> {
  const issuer = new URL(config.issuer);
  return oidc.discovery(
    issuer,
    config.clientId,
    undefined,
    // The default method of a confidential HelloJohn client (token_endpoint_auth_method).
    oidc.ClientSecretBasic(config.clientSecret),
    // openid-client refuses http by default. Allowing it for a loopback issuer keeps local
    // development possible; anything else must be https (checkConfig already refused the rest).
    isLoopbackHttp(issuer)
      ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback only, see above
        { execute: [oidc.allowInsecureRequests] }
      : undefined,
  );
}
