import * as oidc from 'openid-client';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { plainHttp, registerClient, type Registered, type Tenant } from '../oauth';
import { startSystem, type System } from '../system';
import { startCallbackServer, type CallbackServer } from './callback-server';
import { launchChromium, watchForeignRequests } from './chromium';

/**
 * The steps the hosted-login browser suites share: both planes, Chromium and a loopback relying
 * party started together; browser profiles watched for third-party requests; an authorization
 * request as an RP builds it; the sign-in form; the RP's side of the callback.
 */

/** What a browser suite runs against. */
export interface BrowserRig {
  system: System;
  browser: Browser;
  rp: CallbackServer;
  /** Stops whatever started (also after a half-failed start). */
  close(): Promise<void>;
}

/**
 * Starts the three in parallel (`env` for the planes); if one fails, the others are stopped and
 * the error thrown.
 */
async function startBrowserRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  const started: Partial<Omit<BrowserRig, 'close'>> = {};
  const close = async () => {
    await started.browser?.close();
    await started.rp?.close();
    await started.system?.close();
  };
  const results = await Promise.allSettled([
    startSystem(env).then((s) => (started.system = s)),
    launchChromium().then((b) => (started.browser = b)),
    startCallbackServer().then((r) => (started.rp = r)),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') {
      await close();
      throw result.reason;
    }
  }
  const { system, browser, rp } = started as Omit<BrowserRig, 'close'>;
  return { system, browser, rp, close };
}

/**
 * A browser suite's hooks: the rig before all tests (`env` for the planes), each test's browser
 * profiles closed after it (failing it on any request beyond `origins`), everything stopped after
 * all. Call it first in the `describe`, so its `beforeAll` runs before the suite's own.
 */
export function useBrowserRig(options: {
  origins: (rig: BrowserRig) => string[];
  env?: () => Promise<Record<string, string>>;
  timeoutMs: number;
}) {
  const holder: { rig?: BrowserRig } = {};
  const rig = (): BrowserRig => {
    if (!holder.rig) throw new Error('the browser rig has not started');
    return holder.rig;
  };
  const profiles = browserProfiles(
    () => rig().browser,
    () => options.origins(rig()),
  );
  beforeAll(async () => {
    holder.rig = await startBrowserRig(options.env ? await options.env() : {});
  }, options.timeoutMs);
  // No page may load anything from a third party (fonts, scripts, analytics...).
  afterEach(async () => {
    expect(await profiles.closeAll()).toEqual([]);
  });
  afterAll(async () => {
    await profiles.closeAll();
    await holder.rig?.close();
  }, options.timeoutMs);
  return { rig, profiles };
}

/** A first-party confidential client of the tenant, redirecting to the RP's `key` URI. */
export async function registerRpClient(
  rig: BrowserRig,
  tenant: Tenant,
  key: string,
  body: Record<string, unknown> = {},
): Promise<Registered & { key: string }> {
  const registered = await registerClient(rig.system, tenant, {
    name: 'Acme Notes',
    type: 'confidential',
    grant_types: ['authorization_code'],
    redirect_uris: [rig.rp.redirectUri(key)],
    first_party: true,
    ...body,
  });
  return { ...registered, key };
}

/**
 * Fresh browser profiles for a test (no cookies; their own locale and JavaScript setting), each
 * recording requests to anything but `origins`. `closeAll` closes them and answers those requests.
 */
function browserProfiles(browser: () => Browser, origins: () => string[]) {
  const contexts: BrowserContext[] = [];
  const foreign: string[][] = [];
  return {
    async newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
      const context = await browser().newContext({
        viewport: { width: 760, height: 820 },
        locale: 'en-US',
        ...options,
      });
      context.setDefaultTimeout(30_000);
      foreign.push(watchForeignRequests(context, origins()));
      contexts.push(context);
      return context;
    },
    async closeAll(): Promise<string[]> {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
      return foreign.splice(0).flat();
    },
  };
}

/** One authorization request, as the RP builds it: PKCE S256, state and nonce. */
export async function authorizationRequest(
  tenant: Tenant,
  client: Registered,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const config = await oidc.discovery(
    new URL(tenant.issuer),
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(client.client_secret ?? ''),
    plainHttp,
  );
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { config, url: url.href, verifier, state, nonce, redirectUri };
}
export type AuthorizationRequest = Awaited<ReturnType<typeof authorizationRequest>>;

/** The sign-in form: email, password, Continue. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

/** Waits for the browser to land on the redirect URI; returns its URL. */
export async function landOn(page: Page, redirectUri: string): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
  return new URL(page.url());
}

/** The RP's side of the callback: checks iss and state, redeems the code, validates the ID token. */
export async function redeemCallback(auth: AuthorizationRequest, callback: URL) {
  const tokens = await oidc.authorizationCodeGrant(auth.config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token in the token response');
  return { tokens, claims };
}
