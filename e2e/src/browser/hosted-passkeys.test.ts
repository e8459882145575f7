import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { freePort } from '@hellojohn/testing';
import type { CallbackServer } from '../support/browser/callback-server';
import {
  authorizationRequest,
  landOn,
  redeemCallback,
  registerRpClient,
  useBrowserRig,
} from '../support/browser/hosted-flow';
import { screenshotForDocs } from '../support/browser/screenshots';
import { slug, type Registered, type Tenant } from '../support/oauth';
import type { System } from '../support/system';

/**
 * Passkeys in the hosted login, in headless Chromium with its WebAuthn virtual authenticator
 * (through playwright-core's CDP session): sign up, add a passkey on the offer page, sign out,
 * sign in with the passkey button, and the code flow completes with amr `hwk`. With JavaScript
 * off the passkey button stays hidden. WebAuthn needs a secure context whose host can be an RP
 * ID, so the data plane's public URL is `http://localhost:<port>` here (not 127.0.0.1).
 */

const SLOW = 120_000; // The first Chromium start on a 2-core CI machine.
const PASSWORD = 'a long enough password';

describe('hosted login passkeys in headless Chromium', () => {
  const { rig, profiles } = useBrowserRig({
    origins: (started) => [tenant.issuer, started.rp.origin],
    // WebAuthn: a host that can be an RP ID (localhost, not 127.0.0.1).
    env: async () => {
      const port = await freePort();
      return { HJ_DP_PORT: String(port), HJ_PUBLIC_URL: `http://localhost:${port}` };
    },
    timeoutMs: SLOW,
  });
  let system: System;
  let rp: CallbackServer;
  let tenant: Tenant;
  let app: Registered & { key: string };

  beforeAll(async () => {
    ({ system, rp } = rig());
    tenant = await system.createTenant(slug('passkeys'), { name: 'Acme' });
    app = await registerRpClient(rig(), tenant, 'notes');
  }, SLOW);

  const newContext = (javaScriptEnabled = true): Promise<BrowserContext> =>
    profiles.newContext({ javaScriptEnabled });

  /** A platform authenticator that verifies the user (as Touch ID or Windows Hello would). */
  async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { cdp, id: authenticatorId };
  }

  const authorization = () =>
    authorizationRequest(tenant, app, rp.redirectUri(app.key), { scope: 'openid email' });

  /** Waits for the client's redirect URI, then redeems the code as the RP does. */
  async function finish(page: Page, auth: Awaited<ReturnType<typeof authorization>>) {
    return (await redeemCallback(auth, await landOn(page, auth.redirectUri))).claims;
  }

  it(
    'signs up, adds a passkey when offered, signs out, and signs in with the passkey',
    async () => {
      const page = await (await newContext()).newPage();
      const authenticator = await virtualAuthenticator(page);
      const email = `grace-${Date.now()}@example.com`;

      const signUp = await authorization();
      await page.goto(signUp.url);
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Email address', { exact: true }).fill(email);
      await page.getByLabel('Create a password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();

      // The offer, after sign-up (never in the middle of it); "Continue" is the no-script way.
      await page.getByRole('heading', { name: 'Sign in faster next time' }).waitFor();
      const add = page.getByRole('button', { name: 'Add a passkey' });
      await add.waitFor();
      await expect(page.getByRole('button', { name: 'Not now' }).isVisible()).resolves.toBe(true);
      await expect(
        page.getByRole('button', { name: 'Continue', exact: true }).isVisible(),
      ).resolves.toBe(false);
      await screenshotForDocs(page, 'passkey-offer');
      await add.click();
      await page.getByRole('heading', { name: 'Your passkey is ready' }).waitFor();
      const held = await authenticator.cdp.send('WebAuthn.getCredentials', {
        authenticatorId: authenticator.id,
      });
      expect(held.credentials).toEqual([
        expect.objectContaining({ isResidentCredential: true, rpId: 'localhost' }),
      ]);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      const first = await finish(page, signUp);
      expect(first).toMatchObject({ email, amr: ['pwd'] });

      await page.goto(`${tenant.issuer}/oauth2/end-session?client_id=${app.client_id}`);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();

      const signIn = await authorization();
      // The virtual authenticator answers a conditional (autofill) request at once, as if the
      // user picked the passkey; to use the button, this browser reports no autofill support.
      await page.addInitScript({
        content:
          "Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', " +
          '{ value: () => Promise.resolve(false), configurable: true });',
      });
      await page.goto(signIn.url);
      const button = page.getByRole('button', { name: 'Sign in with a passkey' });
      await button.waitFor();
      // The email field offers passkeys in autofill too, and the password form stays.
      await expect(
        page.getByLabel('Email address', { exact: true }).getAttribute('autocomplete'),
      ).resolves.toBe('username webauthn');
      await expect(page.getByLabel('Password', { exact: true }).isVisible()).resolves.toBe(true);
      await screenshotForDocs(page, 'passkey-sign-in');
      await button.click();
      const claims = await finish(page, signIn);
      expect(claims).toMatchObject({ email, iss: tenant.issuer });
      expect(claims['amr']).toEqual(['hwk', 'user', 'mfa']);

      // Another browser holding the same passkey, with autofill: the conditional request that
      // starts on load signs in without a click.
      const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', {
        authenticatorId: authenticator.id,
      });
      const other = await (await newContext()).newPage();
      const copy = await virtualAuthenticator(other);
      for (const credential of credentials) {
        await copy.cdp.send('WebAuthn.addCredential', { authenticatorId: copy.id, credential });
      }
      const autofill = await authorization();
      await other.goto(autofill.url);
      const viaAutofill = await finish(other, autofill);
      expect(viaAutofill).toMatchObject({ email, amr: ['hwk', 'user', 'mfa'] });
    },
    SLOW,
  );

  it(
    'keeps the passkey button hidden with JavaScript off; the password form works',
    async () => {
      const page = await (await newContext(false)).newPage();
      const auth = await authorization();
      await page.goto(auth.url);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expect(page.locator('#passkey-sign-in').isHidden()).resolves.toBe(true);
      await expect(
        page.getByRole('button', { name: 'Sign in with a passkey' }).count(),
      ).resolves.toBe(0);
      await expect(page.locator('script[src]').count()).resolves.toBe(2);
    },
    SLOW,
  );
});
