import { hiddenField } from './hosted-browser';
import { pkcePair } from './oidc-fixtures';
import type { CookieBrowser } from './upstream-op';

/** Where the client application starts a federated sign-in: its tenant, client and callback. */
export interface FederatedClient {
  readonly dpUrl: string;
  readonly tenantSlug: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope?: string;
  readonly nonce?: string;
}

/** The hosted sign-in page reached through /authorize, its login transaction and PKCE verifier. */
export interface OpenedSignIn {
  readonly page: string;
  readonly tx: string;
  readonly verifier: string;
}

/** /authorize (code flow, PKCE S256) to the hosted sign-in page, as the client's browser. */
export async function openSignIn(
  browser: CookieBrowser,
  client: FederatedClient,
): Promise<OpenedSignIn> {
  const { challenge, verifier } = pkcePair();
  const params = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: client.scope ?? 'openid email',
    state: 'client-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (client.nonce) params.set('nonce', client.nonce);
  const start = await browser.get(
    `${client.dpUrl}/t/${client.tenantSlug}/oauth2/authorize?${params.toString()}`,
  );
  expect(start.status).toBe(303);
  const login = await browser.get(browser.location(start, client.dpUrl));
  expect(login.status).toBe(200);
  const page = await login.text();
  return { page, tx: hiddenField(page, 'tx'), verifier };
}

/** The provider's button on the sign-in page: the upstream authorization URL it redirects to. */
export async function pressProviderButton(
  browser: CookieBrowser,
  client: Pick<FederatedClient, 'dpUrl' | 'tenantSlug'>,
  providerId: string,
  tx: string,
  upstreamOrigin: string,
): Promise<URL> {
  const go = await browser.get(
    `${client.dpUrl}/t/${client.tenantSlug}/login/federated/${providerId}?tx=${tx}`,
  );
  expect(go.status).toBe(303);
  const authorize = new URL(browser.location(go, client.dpUrl));
  expect(authorize.origin).toBe(upstreamOrigin);
  return authorize;
}

/** /authorize, the sign-in page and the provider's button in one step. */
export async function toProvider(
  browser: CookieBrowser,
  client: FederatedClient,
  providerId: string,
  upstreamOrigin: string,
): Promise<URL> {
  const { tx } = await openSignIn(browser, client);
  return pressProviderButton(browser, client, providerId, tx, upstreamOrigin);
}
