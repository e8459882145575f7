import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser/chromium';
import { screenshotForDocs } from './support/browser/screenshots';
import { ADMIN, startSystem, type System } from './support/system';

/**
 * The operator console in headless Chromium against both planes (embedded): keyboard-only
 * sign-in, a tenant created and watched until active, a client whose secret is shown once and
 * copied, a user created and disabled, the audit log, the CSP, and no token in storage or URLs.
 */
describe('operator console (browser)', () => {
  let system: System;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const requestUrls: string[] = [];
  // The console's origin must be HJ_CP_URL's: the data plane answers CORS for that origin only.
  let consoleUrl: string;

  beforeAll(async () => {
    // The same build step as `npm start` (no-op when apps/console/dist is fresh).
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), join(__dirname, '../../scripts/ensure-console-build.ts')],
      { stdio: 'ignore' },
    );
    system = await startSystem();
    consoleUrl = `${system.cp.url.replace('localhost', '127.0.0.1')}/console/`;
    browser = await launchChromium();
    context = await browser.newContext({ colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(consoleUrl).origin,
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requestUrls.push(request.url()));
  }, 180_000);

  afterAll(async () => {
    // Unassigned when beforeAll failed part-way; the optional calls keep the real error visible.
    /* eslint-disable @typescript-eslint/no-unnecessary-condition */
    await browser?.close();
    await system?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  it('is served with a strict CSP and signs in with the keyboard only', async () => {
    const response = await page.goto(consoleUrl);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response?.headers()['cache-control']).toBe('no-cache');

    await page.getByRole('heading', { name: 'Sign in to HelloJohn' }).waitFor();
    await screenshotForDocs(page, 'console-sign-in');
    // The email field has focus on load; Tab to the password, Enter submits.
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
  });

  it('shows a wrong password as the problem title', async () => {
    const other = await context.newPage();
    await other.goto(consoleUrl);
    await other.getByLabel('Email').fill(ADMIN.email);
    await other.getByLabel('Password').fill('not-the-password');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toMatch(/\S/);
    await other.close();
  });

  it('creates a tenant and watches it become active', async () => {
    await page.getByRole('link', { name: 'Create tenant' }).click();
    await page.getByLabel('Slug').fill('console-e2e');
    await page.getByLabel('Name', { exact: true }).fill('Console E2E');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Tenant console-e2e' }).waitFor();
    await page.locator('.tenant-status .badge-active').waitFor({ timeout: 30_000 });
    await screenshotForDocs(page, 'console-tenant');
  });

  it('creates a client and shows its secret once', async () => {
    await page.getByRole('link', { name: 'Clients' }).click();
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
    await screenshotForDocs(page, 'console-client-secret');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('cell', { name: 'Web app', exact: true }).waitFor();
  });

  it('creates a user and disables it (data plane admin routes, CORS for the console)', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('User email').fill('ana@example.com');
    await page.getByLabel('Initial password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'ana@example.com', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Disable ana@example.com' }).click();
    await page.getByRole('button', { name: 'Enable ana@example.com' }).waitFor();
    await screenshotForDocs(page, 'console-users');
  });

  it('reads the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'tenant.created' }).first().waitFor();
    await page.getByLabel('Action').fill('client.created');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'client.created' }).first().waitFor();
    expect(page.url()).toContain('action=client.created');
    await screenshotForDocs(page, 'console-audit');
  });

  it('keeps tokens out of storage and URLs, with no console errors', async () => {
    // A string: the e2e project compiles without DOM typings; this runs in the page.
    const storage = await page.evaluate<{ local: number; session: number }>(
      '({ local: localStorage.length, session: sessionStorage.length })',
    );
    expect(storage).toEqual({ local: 0, session: 0 });
    const token = await system.adminToken();
    const prefix = token.slice(0, 20);
    expect(requestUrls.filter((url) => /token|eyJ/.test(url) || url.includes(prefix))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to HelloJohn' }).waitFor();
  });
});
