import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import request from 'supertest';
import {
  authorizationRequest,
  landOn,
  redeemCallback,
  registerRpClient,
  submitSignIn,
  useBrowserRig,
} from '../support/browser/hosted-flow';
import { screenshotForDocs } from '../support/browser/screenshots';
import { slug, type Registered, type Tenant } from '../support/oauth';

/**
 * The hosted login's second factor in headless Chromium with JavaScript off (docs/mfa.md,
 * "Hosted login"): a TOTP code and a recovery code after the password, and the enrolment under
 * `mfa: required` with its recovery codes page. Each flow ends at a loopback RP whose code
 * openid-client redeems; the ID token says how the user signed in.
 */

const SLOW = 120_000;
const PASSWORD = 'a long enough password';
const LOA2 = 'urn:hellojohn:loa:2';

/** The code an authenticator app shows for `secret`, `stepsAhead` periods from now. */
function totpCode(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

describe('hosted MFA in headless Chromium, JavaScript off', () => {
  let origins: string[] = [];
  const { rig, profiles } = useBrowserRig({ origins: () => origins, timeoutMs: SLOW });
  let optional: { tenant: Tenant; app: Registered };
  let required: { tenant: Tenant; app: Registered };

  async function setUp(name: string, settings: Record<string, unknown>) {
    const tenant = await rig().system.createTenant(slug(name), { name: 'Acme', settings });
    return { tenant, app: await registerRpClient(rig(), tenant, name) };
  }

  const dp = (tenant: Tenant, method: 'post' | 'get', path: string, token?: string) => {
    const req = request(rig().system.dp.url)[method](path).set('X-Tenant-ID', tenant.slug);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };

  /** A new user of the tenant; with `totp`, an authenticator app enrolled through the API. */
  async function newUser(tenant: Tenant, name: string, totp: boolean) {
    const email = `${name}-${slug('u')}@example.com`;
    const signUp = await dp(tenant, 'post', '/v1/auth/sign-up')
      .send({ email, password: PASSWORD })
      .expect(201);
    if (!totp) return { email, secret: '', recoveryCodes: [] as string[] };
    const access = signUp.body.access_token as string;
    const start = await dp(tenant, 'post', '/v1/mfa/totp', access).send({}).expect(201);
    const secret = start.body.secret as string;
    const done = await dp(tenant, 'post', '/v1/mfa/totp/confirm', access)
      .send({ factor_id: start.body.factor_id, code: totpCode(secret) })
      .expect(200);
    return { email, secret, recoveryCodes: done.body.recovery_codes as string[] };
  }

  /** A JavaScript-off profile watched for requests beyond the tenant and the RP. */
  async function page(tenant: Tenant): Promise<Page> {
    origins = [tenant.issuer, rig().rp.origin];
    const context = await profiles.newContext({ javaScriptEnabled: false });
    return context.newPage();
  }

  /** Goes to the authorization URL and signs in with the password; returns what the RP needs. */
  async function signIn(p: Page, tenant: Tenant, app: Registered, key: string, email: string) {
    const auth = await authorizationRequest(tenant, app, rig().rp.redirectUri(key));
    await p.goto(auth.url);
    await submitSignIn(p, email, PASSWORD);
    return auth;
  }

  /** Lands on the RP, redeems the code; the ID token's claims. */
  async function redeem(p: Page, auth: Awaited<ReturnType<typeof signIn>>) {
    const { claims } = await redeemCallback(auth, await landOn(p, auth.redirectUri));
    return claims;
  }

  beforeAll(async () => {
    optional = await setUp('mfa-optional', {});
    required = await setUp('mfa-required', { mfa: 'required' });
  }, SLOW);

  it(
    'completes with an authenticator code after a wrong one',
    async () => {
      const { tenant, app } = optional;
      const user = await newUser(tenant, 'totp', true);
      const p = await page(tenant);
      const auth = await signIn(p, tenant, app, 'mfa-optional', user.email);
      expect(new URL(p.url()).pathname).toBe(`/t/${tenant.slug}/login/mfa`);
      expect(await p.title()).toBe('Verify it’s you – Acme');
      const code = p.getByRole('textbox', { name: 'Code from your authenticator app' });
      await expect(code.getAttribute('autocomplete')).resolves.toBe('one-time-code');
      await expect(code.getAttribute('inputmode')).resolves.toBe('numeric');
      await expect(
        p.getByRole('textbox', { name: 'Recovery code' }).getAttribute('autocomplete'),
      ).resolves.toBe('off');
      // The passkey section ships hidden (and this user has none).
      await expect(p.locator('#passkey-factor').count()).resolves.toBe(0);
      await screenshotForDocs(p, 'mfa-totp');

      await code.fill('000000');
      await p.getByRole('button', { name: 'Verify' }).first().click();
      expect(await p.title()).toMatch(/^Error: Verify it’s you/);
      await expect(p.locator('.summary a').textContent()).resolves.toBe(
        'The code is incorrect or has expired.',
      );
      // Focus lands on the summary without script (autofocus).
      await expect(p.locator('.summary[role="alert"]:focus').count()).resolves.toBe(1);
      await screenshotForDocs(p, 'mfa-error');

      const next = totpCode(user.secret, 1);
      await p
        .getByLabel('Code from your authenticator app')
        .fill(`${next.slice(0, 3)} ${next.slice(3)}`);
      await p.getByRole('button', { name: 'Verify' }).first().click();
      const claims = await redeem(p, auth);
      expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(claims.acr).toBe(LOA2);
    },
    SLOW,
  );

  it(
    'completes with a recovery code',
    async () => {
      const { tenant, app } = optional;
      const user = await newUser(tenant, 'recovery', true);
      const p = await page(tenant);
      const auth = await signIn(p, tenant, app, 'mfa-optional', user.email);
      await p.getByRole('textbox', { name: 'Recovery code' }).fill(user.recoveryCodes[0] ?? '');
      await p
        .locator('section', { has: p.getByRole('textbox', { name: 'Recovery code' }) })
        .getByRole('button', { name: 'Verify' })
        .click();
      const claims = await redeem(p, auth);
      expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    },
    SLOW,
  );

  it(
    'enrols an authenticator under mfa: required and shows the recovery codes once',
    async () => {
      const { tenant, app } = required;
      const user = await newUser(tenant, 'enrol', false);
      const p = await page(tenant);
      const auth = await signIn(p, tenant, app, 'mfa-required', user.email);
      expect(new URL(p.url()).pathname).toBe(`/t/${tenant.slug}/login/mfa/enrol`);
      await expect(p.locator('figure.qr svg').count()).resolves.toBe(1);
      const secret = ((await p.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await screenshotForDocs(p, 'mfa-enrol');

      await p
        .getByRole('textbox', { name: 'Code from your authenticator app' })
        .fill(totpCode(secret));
      await p.getByRole('button', { name: 'Verify' }).click();
      await expect(p.locator('h1').textContent()).resolves.toBe('Save your recovery codes');
      await expect(p.locator('ul.codes li').count()).resolves.toBe(10);
      await screenshotForDocs(p, 'mfa-recovery-codes');
      await p.getByRole('button', { name: 'I have saved them' }).click();
      const claims = await redeem(p, auth);
      expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(claims.acr).toBe(LOA2);
    },
    SLOW,
  );
});
