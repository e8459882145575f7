import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';

/**
 * Plain http toward a provider, for loopback URLs only (a local provider in development and
 * tests; `isLoopbackHttp`): openid-client marks the switch deprecated only to make it stand out.
 */
function allowPlainHttp(config: oidc.Configuration): void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback-only, see above
  oidc.allowInsecureRequests(config);
}
import type { IdentityProvider } from '../identity-provider-directory';
import { appleClientSecret } from './apple-client-secret';
import { fetchGitHubProfile } from './github-profile';
import {
  checkMultiTenantIdToken,
  isIssuerTemplate,
  templateMatches,
} from './multi-tenant-id-token';
import { endpointsOf, isLoopbackHttp, type UpstreamEndpoints } from './provider-endpoints';
import {
  UpstreamError,
  type RoundTripChecks,
  type UpstreamProfile,
  type UpstreamTokens,
} from './upstream-types';

export interface UpstreamClient {
  /** Where to send the browser: PKCE S256, `state` and `nonce` included. */
  authorizationUrl(provider: IdentityProvider, checks: RoundTripChecks): Promise<URL>;
  /**
   * The callback: the code exchanged (PKCE), the ID token validated (signature, issuer, audience,
   * expiry, nonce) or, for GitHub, the profile read from its API; the attributes mapped.
   */
  complete(
    provider: IdentityProvider,
    callback: URL | Request,
    checks: RoundTripChecks,
  ): Promise<{ profile: UpstreamProfile; tokens: UpstreamTokens }>;
}

const claimString = (claims: Record<string, unknown>, name: string): string | null => {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** Apple and some providers send `email_verified` as the string "true". */
const isTrue = (value: unknown) => value === true || value === 'true';

/** Apple's first sign-in carries the user's name in the form field `user` (JSON), not in claims. */
async function appleNameOf(callback: URL | Request): Promise<string | null> {
  if (!(callback instanceof Request) || callback.method !== 'POST') return null;
  try {
    const form = new URLSearchParams(await callback.clone().text());
    const user = JSON.parse(form.get('user') ?? 'null') as {
      name?: { firstName?: string; lastName?: string };
    } | null;
    const name = [user?.name?.firstName, user?.name?.lastName].filter(Boolean).join(' ');
    return name === '' ? null : name.slice(0, 200);
  } catch {
    return null;
  }
}

/**
 * The relying party toward upstream providers, on `openid-client` (discovery, PKCE, nonce, ID
 * token validation). Discovery documents are cached per provider configuration for ten minutes.
 *
 * @example
 * const upstream = createUpstreamClient();
 * const url = await upstream.authorizationUrl(provider, { state, nonce, codeVerifier, redirectUri });
 */
export function createUpstreamClient(options: { discoveryTtlMs?: number } = {}): UpstreamClient {
  const ttl = options.discoveryTtlMs ?? 10 * 60_000;
  const configurations = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  /**
   * A one-callback copy of `shared` whose token response reaches openid-client without its
   * `id_token`, kept in `taken` for `checkMultiTenantIdToken` (a copy per callback: concurrent
   * sign-ins share `shared`).
   */
  function withIdTokenTakenOut(
    shared: oidc.Configuration,
    provider: IdentityProvider,
    taken: { value?: string },
  ): oidc.Configuration {
    const metadata = JSON.parse(JSON.stringify(shared.serverMetadata())) as oidc.ServerMetadata;
    const config = new oidc.Configuration(
      metadata,
      provider.client_id,
      undefined,
      clientAuth(provider, endpointsOf(provider)),
    );
    if (metadata.token_endpoint && isLoopbackHttp(metadata.token_endpoint)) allowPlainHttp(config);
    config[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options);
      if (url !== metadata.token_endpoint || !response.ok) return response;
      const body = (await response.json()) as Record<string, unknown>;
      if (typeof body['id_token'] === 'string') taken.value = body['id_token'];
      delete body['id_token'];
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    return config;
  }

  function clientAuth(provider: IdentityProvider, endpoints: UpstreamEndpoints): oidc.ClientAuth {
    if (provider.type === 'apple' && provider.apple && endpoints.kind === 'discovery') {
      const { apple } = provider;
      // A fresh secret for each token request: Apple's JWT expires in minutes.
      return (as, client, body, headers) => {
        oidc.ClientSecretPost(
          appleClientSecret({
            teamId: apple.team_id,
            keyId: apple.key_id,
            clientId: provider.client_id,
            privateKey: apple.private_key,
            audience: as.issuer,
          }),
        )(as, client, body, headers);
      };
    }
    return oidc.ClientSecretPost(provider.client_secret ?? '');
  }

  async function build(provider: IdentityProvider): Promise<oidc.Configuration> {
    const endpoints = endpointsOf(provider);
    const insecure = (url: string) => isLoopbackHttp(url);
    if (endpoints.kind === 'github') {
      const config = new oidc.Configuration(
        {
          issuer: new URL(endpoints.authorization).origin,
          authorization_endpoint: endpoints.authorization,
          token_endpoint: endpoints.token,
        },
        provider.client_id,
        undefined,
        clientAuth(provider, endpoints),
      );
      if (insecure(endpoints.token)) allowPlainHttp(config);
      return config;
    }
    const o = provider.endpoints;
    const microsoft = provider.type === 'microsoft';
    const config = await oidc.discovery(
      // Microsoft: the document's URL itself, so that openid-client does not compare its issuer
      // (a template for `common`, the directory's GUID for a domain); checked below instead.
      microsoft
        ? new URL(`${endpoints.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`)
        : new URL(endpoints.issuer),
      provider.client_id,
      undefined,
      clientAuth(provider, endpoints),
      // openid-client recognises this switch by identity: the function itself, not a wrapper.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback-only (isLoopbackHttp)
      insecure(endpoints.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    if (microsoft) {
      const discovered = config.serverMetadata().issuer;
      // A template must be this endpoint's own (`common` -> `{tenantid}`); a fixed issuer must
      // live where the document was fetched (a domain's document names the directory's GUID).
      const ok = isIssuerTemplate(discovered)
        ? templateMatches(discovered, endpoints.issuer)
        : new URL(discovered).origin === new URL(endpoints.issuer).origin;
      if (!ok) throw new UpstreamError('failed', 'discovered issuer does not match the endpoint');
    }
    if (o.authorization || o.token || o.jwks || o.userinfo) {
      // Overrides after discovery (stand-ins in tests, a proxy in front of a provider).
      // Plain data only (the metadata object also carries helper methods).
      const metadata = JSON.parse(JSON.stringify(config.serverMetadata())) as oidc.ServerMetadata;
      const overridden = new oidc.Configuration(
        {
          ...metadata,
          authorization_endpoint: o.authorization ?? metadata.authorization_endpoint,
          token_endpoint: o.token ?? metadata.token_endpoint,
          jwks_uri: o.jwks ?? metadata.jwks_uri,
          userinfo_endpoint: o.userinfo ?? metadata.userinfo_endpoint,
        },
        provider.client_id,
        undefined,
        clientAuth(provider, endpoints),
      );
      if (insecure(endpoints.issuer)) allowPlainHttp(overridden);
      return overridden;
    }
    return config;
  }

  function configurationOf(provider: IdentityProvider): Promise<oidc.Configuration> {
    // Keyed by the whole configuration: a changed provider is discovered again.
    const key = createHash('sha256').update(JSON.stringify(provider)).digest('hex');
    const cached = configurations.get(key);
    if (cached && cached.at > Date.now() - ttl) return cached.config;
    const config = build(provider);
    // A failed discovery is not kept: the next sign-in tries again.
    config.catch(() => configurations.delete(key));
    if (configurations.size > 1000) configurations.clear();
    configurations.set(key, { at: Date.now(), config });
    return config;
  }

  return {
    async authorizationUrl(provider, checks) {
      const config = await configurationOf(provider);
      const params: Record<string, string> = {
        redirect_uri: checks.redirectUri,
        response_type: 'code',
        scope: provider.scopes.join(' '),
        state: checks.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      };
      if (provider.type !== 'github') params['nonce'] = checks.nonce;
      // Apple sends name and email only with form_post (and then POSTs the callback).
      if (provider.type === 'apple') params['response_mode'] = 'form_post';
      return oidc.buildAuthorizationUrl(config, params);
    },

    async complete(provider, callback, checks) {
      const url = callback instanceof Request ? new URL(callback.url) : callback;
      const params =
        callback instanceof Request && callback.method === 'POST'
          ? new URLSearchParams(await callback.clone().text())
          : url.searchParams;
      const error = params.get('error');
      if (error !== null) {
        throw new UpstreamError(
          error === 'access_denied' ? 'denied' : 'failed',
          `the provider answered ${error.slice(0, 100)}`,
        );
      }
      // Read before the code exchange, which consumes the callback request's body.
      const appleName = provider.type === 'apple' ? await appleNameOf(callback) : null;
      const shared = await configurationOf(provider);
      const github = provider.type === 'github';
      const template = github ? undefined : shared.serverMetadata().issuer;
      // Multi-tenant Microsoft: openid-client would compare `iss` with the template; the ID
      // token is taken out of its way and checked against the token's own directory instead.
      const multiTenant = template !== undefined && isIssuerTemplate(template);
      const idToken: { value?: string } = {};
      const config = multiTenant ? withIdTokenTakenOut(shared, provider, idToken) : shared;
      let tokens;
      let multiTenantClaims: Record<string, unknown> | undefined;
      try {
        tokens = await oidc.authorizationCodeGrant(
          config,
          callback,
          {
            pkceCodeVerifier: checks.codeVerifier,
            expectedState: checks.state,
            expectedNonce: github || multiTenant ? undefined : checks.nonce,
            idTokenExpected: !github && !multiTenant,
          },
          { redirect_uri: checks.redirectUri },
        );
        if (multiTenant) {
          multiTenantClaims = checkMultiTenantIdToken(idToken.value, {
            issuerTemplate: template,
            clientId: provider.client_id,
            nonce: checks.nonce,
          });
        }
      } catch (cause) {
        throw new UpstreamError('failed', 'the code exchange or ID token check failed', { cause });
      }
      const kept: UpstreamTokens = {
        access_token: tokens.access_token,
        token_type: tokens.token_type,
        refresh_token: tokens.refresh_token,
        id_token: tokens.id_token ?? idToken.value,
        expires_in: tokens.expires_in,
        scope: tokens.scope,
      };
      if (github) {
        const endpoints = endpointsOf(provider);
        if (endpoints.kind !== 'github') throw new UpstreamError('failed', 'not a GitHub provider');
        return {
          profile: await fetchGitHubProfile(endpoints.api, tokens.access_token),
          tokens: kept,
        };
      }
      const claims = multiTenantClaims ?? tokens.claims();
      if (!claims) throw new UpstreamError('failed', 'no ID token');
      const map = provider.attribute_mapping;
      const record = claims;
      return {
        profile: {
          subject: String(record['sub']),
          email: claimString(record, map.email),
          // Microsoft's `email` is whatever the directory holds, never proven: not verified.
          emailVerified: provider.type !== 'microsoft' && isTrue(record['email_verified']),
          name: claimString(record, map.name) ?? appleName,
          picture: claimString(record, map.picture),
        },
        tokens: kept,
      };
    },
  };
}
