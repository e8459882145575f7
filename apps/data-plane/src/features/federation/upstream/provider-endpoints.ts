import type { IdentityProvider } from '../identity-provider-directory';

/** Where a provider is reached: an OpenID Provider found by discovery, or plain OAuth 2 (GitHub). */
export type UpstreamEndpoints =
  | { kind: 'discovery'; issuer: string }
  | { kind: 'github'; authorization: string; token: string; api: string };

/**
 * A provider's endpoints: its preset's (Google, Microsoft, Apple, GitHub) or, for `oidc`, its
 * issuer's; `endpoints` overrides from its configuration win (GitHub Enterprise, test stand-ins).
 */
export function endpointsOf(provider: IdentityProvider): UpstreamEndpoints {
  const o = provider.endpoints;
  switch (provider.type) {
    case 'github':
      return {
        kind: 'github',
        authorization: o.authorization ?? 'https://github.com/login/oauth/authorize',
        token: o.token ?? 'https://github.com/login/oauth/access_token',
        api: (o.api ?? 'https://api.github.com').replace(/\/+$/, ''),
      };
    case 'google':
      return { kind: 'discovery', issuer: o.issuer ?? 'https://accounts.google.com' };
    case 'apple':
      return { kind: 'discovery', issuer: o.issuer ?? 'https://appleid.apple.com' };
    case 'microsoft':
      return {
        kind: 'discovery',
        issuer:
          o.issuer ??
          `https://login.microsoftonline.com/${encodeURIComponent(provider.issuer ?? 'common')}/v2.0`,
      };
    case 'oidc':
      return { kind: 'discovery', issuer: o.issuer ?? provider.issuer ?? '' };
  }
}

/** Plain http is allowed only to loopback hosts (a local provider in development and tests). */
export function isLoopbackHttp(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}
