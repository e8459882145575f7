import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeProblems } from './support/browser/axe';
import { launchChromium } from './support/browser/chromium';
import { screenshotForDocs } from './support/browser/screenshots';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { ADMIN, startSystem, type System } from './support/system';

/** The invitation link the control plane mails (docs/admins.md). */
const INVITATION_LINK = /(http:\/\/\S+\/console\/#\/accept-invitation\?token=hjinv_[\w-]+)/;

/**
 * The operator console in headless Chromium against both planes (embedded): keyboard-only
 * sign-in, a tenant created and watched until active, a client whose secret is shown once and
 * copied, a user created and disabled, webhooks, API resources, identity providers and
 * organizations (with members) created and edited, the audit log, admins, readiness, the account page's TOTP QR code, an invitation
 * accepted from the mailed link, the CSP, and no token in storage or URLs. axe-core checks every
 * page visited: no serious or critical WCAG 2.2 AA violation.
 */
describe('operator console (browser)', () => {
  let system: System;
  let smtp: SmtpSink;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const requestUrls: string[] = [];
  // The console's origin must be HJ_CP_URL's: the data plane answers CORS for that origin only.
  let consoleUrl: string;

  function watch(p: Page): void {
    p.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    p.on('pageerror', (error) => consoleErrors.push(error.message));
    p.on('request', (request) => requestUrls.push(request.url()));
  }

  /** The page as it is now passes axe (serious and critical violations fail the test). */
  async function expectAccessible(p: Page, label: string): Promise<void> {
    const problems = await axeProblems(p);
    expect({ label, problems }).toEqual({ label, problems: [] });
  }

  /** Opens a tenant tab by its link and waits for `ready`, then checks it with axe. */
  async function openTab(name: string, ready: () => Promise<void>): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Tenant sections' })
      .getByRole('link', { name })
      .click();
    await ready();
    await expectAccessible(page, `tenant tab ${name}`);
  }

  beforeAll(async () => {
    // The same build step as `npm start` (no-op when apps/console/dist is fresh).
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), join(__dirname, '../../scripts/ensure-console-build.ts')],
      { stdio: 'ignore' },
    );
    smtp = await startSmtpSink();
    system = await startSystem({ HJ_SMTP_URL: smtp.url });
    consoleUrl = `${system.cp.url.replace('localhost', '127.0.0.1')}/console/`;
    browser = await launchChromium();
    context = await browser.newContext({ colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(consoleUrl).origin,
    });
    page = await context.newPage();
    watch(page);
  }, 180_000);

  afterAll(async () => {
    // Unassigned when beforeAll failed part-way; the optional calls keep the real error visible.
    /* eslint-disable @typescript-eslint/no-unnecessary-condition */
    await browser?.close();
    await system?.close();
    await smtp?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  it('has an axe check that can fail: a planted violation is reported', async () => {
    const scratch = await context.newPage();
    await scratch.setContent('<html lang="en"><body><main><img src="data:,"></main></body></html>');
    const problems = await axeProblems(scratch);
    expect(problems.map((p) => p.id)).toContain('image-alt');
    await scratch.close();
  });

  it('is served with a strict CSP and signs in with the keyboard only', async () => {
    const response = await page.goto(consoleUrl);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response?.headers()['cache-control']).toBe('no-cache');

    await page.getByRole('heading', { name: 'Sign in to HelloJohn' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshotForDocs(page, 'console-sign-in');
    // The email field has focus on load; Tab to the password, Enter submits.
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await page.getByText('No tenants yet').waitFor();
    await expectAccessible(page, 'tenants (empty)');
  });

  it('shows a wrong password as the problem title', async () => {
    const other = await context.newPage();
    await other.goto(consoleUrl);
    await other.getByLabel('Email').fill(ADMIN.email);
    await other.getByLabel('Password').fill('not-the-password');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toMatch(/\S/);
    await expectAccessible(other, 'sign-in with an error');
    await other.close();
  });

  it('creates a tenant and watches it become active', async () => {
    await page.getByRole('link', { name: 'Create tenant' }).click();
    await page.getByLabel('Slug').waitFor();
    await expectAccessible(page, 'create tenant');
    await screenshotForDocs(page, 'console-create-tenant');
    await page.getByLabel('Slug').fill('console-e2e');
    await page.getByLabel('Name', { exact: true }).fill('Console E2E');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Tenant console-e2e' }).waitFor();
    await page.locator('.tenant-status .badge-active').waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'tenant overview');
    await screenshotForDocs(page, 'console-tenant');
  });

  it('creates a client and shows its secret once', async () => {
    await openTab('Clients', () => page.getByLabel('Client name').waitFor());
    await page.getByLabel('Client name').fill('Web app');
    await page
      .getByLabel('Redirect URI 1', { exact: true })
      .fill('https://app.example.com/callback');
    await page.getByRole('button', { name: 'Create client' }).click();
    const secretField = page.getByRole('textbox', {
      name: 'Client secret of Web app',
      exact: true,
    });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
    await expectAccessible(page, 'client secret shown once');
    await screenshotForDocs(page, 'console-client-secret');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('cell', { name: 'Web app', exact: true }).waitFor();
  });

  it('creates a user and disables it (data plane admin routes, CORS for the console)', async () => {
    await openTab('Users', () => page.getByLabel('User email').waitFor());
    await page.getByLabel('User email').fill('ana@example.com');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'ana@example.com', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Disable ana@example.com' }).click();
    await page.getByRole('button', { name: 'Enable ana@example.com' }).waitFor();
    await expectAccessible(page, 'users with a row');
    await screenshotForDocs(page, 'console-users');
  });

  it("lists a user's sessions and ends one", async () => {
    await page.getByLabel('User email').fill('bo@example.com');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'bo@example.com', exact: true }).waitFor();
    // A token session of bo's own, as an app would start it.
    const signIn = await fetch(`${system.dp.url}/t/console-e2e/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bo@example.com', password: 'a-long-enough-password' }),
    });
    expect(signIn.status).toBe(200);
    await page.getByRole('button', { name: 'Sessions of bo@example.com' }).click();
    const sessions = page.getByRole('table', { name: 'Sessions of bo@example.com' });
    await sessions.getByRole('cell', { name: 'token', exact: true }).waitFor();
    await expectAccessible(page, "a user's sessions");
    await sessions.getByRole('button', { name: /^End session/ }).click();
    await expectAccessible(page, 'end a session, confirm');
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: 'End session', exact: true })
      .click();
    await page.getByText('No active sessions').waitFor();
  });

  it('shows settings, roles and keys', async () => {
    await openTab('Settings', () => page.getByLabel('Minimum password length').waitFor());
    await openTab('Roles', () =>
      page
        .getByText(/No roles yet|Roles/)
        .first()
        .waitFor(),
    );
    await openTab('Keys', () => page.getByRole('table').first().waitFor());
    await screenshotForDocs(page, 'console-keys');
  });

  it('creates a webhook (secret once) and edits it', async () => {
    await openTab('Webhooks', () => page.getByText('No webhooks yet').waitFor());
    const url = 'https://hooks.example.com/hellojohn';
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('Events').fill('user.deleted');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = page.getByRole('textbox', { name: `Signing secret of ${url}`, exact: true });
    expect(await secret.inputValue()).toMatch(/^whsec_/);
    await expectAccessible(page, 'webhook secret shown once');
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: `Edit ${url}` }).click();
    const form = page.getByRole('form', { name: `Edit webhook ${url}` });
    expect(await form.getByLabel('Events').inputValue()).toBe('user.deleted');
    await form.getByLabel('Events').fill('user.deleted user.created');
    await expectAccessible(page, 'webhook edit form');
    await form.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByText(`Webhook ${url} saved.`).waitFor();
    await page.getByRole('cell', { name: 'user.deleted, user.created' }).waitFor();
    await screenshotForDocs(page, 'console-webhooks');
  });

  it('creates an API resource and edits its scopes', async () => {
    await openTab('API resources', () => page.getByText('No API resources yet').waitFor());
    await page.getByLabel('Resource name').fill('Invoices');
    await page.getByLabel('Identifier (audience)').fill('https://api.example.com/invoices');
    await page.getByLabel('Scopes').fill('invoices:read');
    await page.getByRole('button', { name: 'Create API resource' }).click();
    await page.getByRole('cell', { name: 'Invoices', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit Invoices' }).click();
    const form = page.getByRole('form', { name: 'Edit API resource Invoices' });
    await form.getByLabel('Scopes').fill('invoices:read invoices:write');
    await form.getByRole('button', { name: 'Save API resource' }).click();
    await page.getByRole('cell', { name: 'invoices:read, invoices:write' }).waitFor();
    await expectAccessible(page, 'API resources with a row');
    await screenshotForDocs(page, 'console-resources');
  });

  it('adds an identity provider and edits it, the secret never shown', async () => {
    await openTab('Identity providers', () =>
      page.getByText('No identity providers yet').waitFor(),
    );
    await page.getByLabel('Type').selectOption('google');
    await page.getByLabel('Display name').fill('Google');
    await page.getByLabel('Client id').fill('google-client-id');
    await page.getByLabel('Client secret').fill('google-client-secret');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('heading', { name: 'Google added' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Edit Google' }).click();
    const form = page.getByRole('form', { name: 'Edit identity provider Google' });
    expect(await form.getByLabel('Client secret').inputValue()).toBe('');
    await form.getByLabel('Display name').fill('Google Workspace');
    await expectAccessible(page, 'identity provider edit form');
    await form.getByRole('button', { name: 'Save provider' }).click();
    await page.getByRole('cell', { name: 'Google Workspace', exact: true }).waitFor();
    // A blank secret kept the stored one.
    await page.getByRole('cell', { name: 'stored', exact: true }).waitFor();
    expect(await page.content()).not.toContain('google-client-secret');
    await screenshotForDocs(page, 'console-identity-providers');
  });

  it('manages organizations: search, create, edit, members with roles, delete', async () => {
    // owner, admin and member are every tenant's built-in roles.
    await openTab('Organizations', () => page.getByText('No organizations yet').waitFor());
    for (const [name, slug] of [
      ['Acme Corp', 'acme-corp'],
      ['Globex', 'globex'],
    ] as const) {
      await page.getByLabel('Organization name').fill(name);
      await page.getByLabel('Organization slug').fill(slug);
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('cell', { name: slug, exact: true }).waitFor();
    }

    await page.getByRole('button', { name: 'Edit Acme Corp' }).click();
    const form = page.getByRole('form', { name: 'Edit organization Acme Corp' });
    await form.getByLabel('Organization name').fill('Acme Corporation');
    await form.getByRole('button', { name: 'Save organization' }).click();
    await page.getByRole('cell', { name: 'Acme Corporation', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Members of Acme Corporation' }).click();
    await page.getByText('No members yet').waitFor();
    await page.getByLabel('Member email').fill('ana@example.com');
    await page.getByLabel('Member role').fill('member');
    await page.getByRole('button', { name: 'Save member' }).click();
    const members = page.getByRole('table', { name: 'Members of Acme Corporation' });
    await members.getByRole('cell', { name: 'ana@example.com', exact: true }).waitFor();
    await members.getByRole('button', { name: 'Change role of ana@example.com' }).click();
    await page.getByLabel('Member role').fill('owner');
    await page.getByRole('button', { name: 'Save member' }).click();
    await members.getByRole('cell', { name: 'owner', exact: true }).waitFor();
    await expectAccessible(page, 'organizations with members');
    await screenshotForDocs(page, 'console-organizations');

    await page.getByLabel('Search by name or slug').fill('glob');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('cell', { name: 'Acme Corporation', exact: true })
      .waitFor({ state: 'detached' });
    expect(page.url()).toContain('search=glob');
    await page.getByRole('button', { name: 'Delete Globex' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete organization Globex?' });
    await expectAccessible(page, 'delete organization dialog');
    await dialog.getByRole('textbox').fill('globex');
    await dialog.getByRole('button', { name: 'Delete organization' }).click();
    await page.getByText('No organizations match').waitFor();
  });

  it('reads the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'tenant.created' }).first().waitFor();
    await expectAccessible(page, 'audit log');
    await page.getByLabel('Action').fill('client.created');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'client.created' }).first().waitFor();
    expect(page.url()).toContain('action=client.created');
    await screenshotForDocs(page, 'console-audit');
  });

  it('shows the tenants list, readiness and API keys', async () => {
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('link', { name: 'Console E2E' }).waitFor();
    await expectAccessible(page, 'tenants list');
    await screenshotForDocs(page, 'console-tenants');

    await page.getByRole('link', { name: 'Readiness' }).click();
    await page.getByRole('heading', { name: 'Readiness', level: 1 }).waitFor();
    // Both planes: the data plane's /readyz answers the console's origin with CORS.
    await page.locator('.badge-ok').nth(1).waitFor();
    await expectAccessible(page, 'readiness');
    await screenshotForDocs(page, 'console-readiness');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').waitFor();
    await expectAccessible(page, 'API keys');
  });

  it('starts TOTP enrolment with a QR code beside the secret', async () => {
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator' }).click();
    const qr = page.getByRole('img', { name: 'QR code of the setup link' });
    await qr.waitFor();
    expect(await page.getByLabel('Setup link (otpauth URI)').inputValue()).toMatch(/^otpauth:/);
    expect(await page.getByLabel('Secret key').inputValue()).toMatch(/^[A-Z2-7]+=*$/);
    await expectAccessible(page, 'account with TOTP enrolment');
    await screenshotForDocs(page, 'console-account');
  });

  let invitationLink: string;

  it('invites an admin; the invitation is mailed', async () => {
    await page.getByRole('link', { name: 'Admins' }).click();
    await page.getByLabel('Admin email').waitFor();
    await expectAccessible(page, 'admins');
    await page.getByLabel('Admin email').fill('new-admin@example.com');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation mailed to new-admin@example.com.', { exact: false }).waitFor();
    await page
      .getByRole('button', { name: 'Resend invitation to new-admin@example.com' })
      .waitFor();
    await expectAccessible(page, 'admins with an invitation');
    await screenshotForDocs(page, 'console-admins');
    const mail = smtp.mails.filter((m) => m.to.includes('new-admin@example.com')).at(-1);
    invitationLink = INVITATION_LINK.exec(mail?.raw ?? '')?.[1] ?? '';
    expect(invitationLink).toContain(new URL(consoleUrl).origin);
  });

  it('the invitee opens the link, sets a password and signs in with it', async () => {
    // A browser of its own: nothing of the owner's session.
    const invitee = await browser.newContext({ colorScheme: 'dark' });
    const tab = await invitee.newPage();
    watch(tab);
    await tab.goto(invitationLink);
    await tab.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    // The token leaves the address bar at once (no token in history or Referer).
    expect(tab.url()).not.toContain('hjinv_');
    await expectAccessible(tab, 'accept invitation (dark)');
    await tab.getByLabel('New password').fill('invited-admin-password-1');
    await tab.getByLabel('Repeat the password').fill('invited-admin-password-1');
    await tab.getByRole('button', { name: 'Set password and sign in' }).click();
    await tab.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();

    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByLabel('Email').fill('new-admin@example.com');
    await tab.getByLabel('Password').fill('invited-admin-password-1');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await expectAccessible(tab, 'tenants (dark)');
    await invitee.close();
  });

  it('keeps tokens out of storage and URLs, with no console errors', async () => {
    // A string: the e2e project compiles without DOM typings; this runs in the page.
    const storage = await page.evaluate<{ local: number; session: number }>(
      '({ local: localStorage.length, session: sessionStorage.length })',
    );
    expect(storage).toEqual({ local: 0, session: 0 });
    const token = await system.adminToken();
    const prefix = token.slice(0, 20);
    expect(
      requestUrls.filter((url) => /token|eyJ|hjinv_/.test(url) || url.includes(prefix)),
    ).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to HelloJohn' }).waitFor();
  });
});
