import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import request from 'supertest';
import type { CallbackServer } from './support/browser/callback-server';
import {
  authorizationRequest,
  landOn,
  redeemCallback,
  useBrowserRig,
} from './support/browser/hosted-flow';
import { registerClient, slug, type Registered, type Tenant } from './support/oauth';
import type { System } from './support/system';

const SLOW = 120_000; // The first Chromium start on a 2-core CI machine.
const UPSTREAM_SECRET = 'upstream-secret-0123456789';
const UPSTREAM_SUB = 'browser-sub';
const UPSTREAM_FONTS = 'https://fonts.googleapis.com';

/**
 * Starts the data plane's federation test provider (oidc-provider, ESM only, in its own Node
 * process: apps/data-plane/test/support/upstream-op-server.mjs) and waits for its issuer.
 */
async function startUpstreamOp(config: unknown): Promise<{ issuer: string; child: ChildProcess }> {
  const script = join(__dirname, '../../apps/data-plane/test/support/upstream-op-server.mjs');
  const child = spawn(process.execPath, ['--no-warnings', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => {
      reject(new Error(`upstream OP exited with ${String(code)}`));
    });
  });
  return { issuer, child };
}

/**
 * Federation in headless Chromium (docs/federation.md): the hosted login's provider button, the
 * upstream OpenID Provider's own login page (oidc-provider), back through the callback to the
 * client's redirect URI with a code whose tokens say `amr: ["fed"]`.
 */
describe('federation in headless Chromium', () => {
  let op: { issuer: string; child: ChildProcess } | undefined;
  const { rig, profiles } = useBrowserRig({
    // The upstream's own login page (oidc-provider's development interaction) asks for a web
    // font: the provider's page, not HelloJohn's; aborted below, so nothing leaves the machine.
    origins: (started) => [
      tenant.issuer,
      started.rp.origin,
      ...(op ? [op.issuer] : []),
      UPSTREAM_FONTS,
    ],
    timeoutMs: SLOW,
  });
  let system: System;
  let rp: CallbackServer;
  let tenant: Tenant;
  let app: Registered;
  const email = `fed-${Date.now()}@upstream.test`;

  beforeAll(async () => {
    ({ system, rp } = rig());
    tenant = await system.createTenant(slug('fedbrowser'), { name: 'Acme' });
    app = await registerClient(system, tenant, {
      name: 'Acme Notes',
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: [rp.redirectUri('app')],
      first_party: true,
    });
    const auth = `Bearer ${await system.adminToken()}`;
    // The callback URL names the provider's id: create it first, then start the provider that
    // must know it, then point the provider at the real issuer.
    const created = await request(system.cp.url)
      .post(`/v1/tenants/${tenant.id}/identity-providers`)
      .set('Authorization', auth)
      .send({
        type: 'oidc',
        name: 'Acme SSO',
        issuer: 'http://127.0.0.1:9',
        client_id: 'hellojohn',
        client_secret: UPSTREAM_SECRET,
        enabled: true,
      })
      .expect(201);
    const body = created.body as { id: string; callback_url: string };
    op = await startUpstreamOp({
      clients: [
        {
          client_id: 'hellojohn',
          client_secret: UPSTREAM_SECRET,
          redirect_uris: [body.callback_url],
        },
      ],
      accounts: { [UPSTREAM_SUB]: { email, email_verified: true, name: 'Fed Browser' } },
    });
    await request(system.cp.url)
      .patch(`/v1/tenants/${tenant.id}/identity-providers/${body.id}`)
      .set('Authorization', auth)
      .send({ issuer: op.issuer })
      .expect(200);
  }, SLOW);

  afterAll(() => {
    op?.child.kill('SIGTERM');
  });

  it(
    'clicks the provider button, signs in upstream, lands at the redirect URI with a code',
    async () => {
      const page = await (await profiles.newContext()).newPage();
      await page.route(`${UPSTREAM_FONTS}/**`, (route) => route.abort());
      const auth = await authorizationRequest(tenant, app, rp.redirectUri('app'));
      await page.goto(auth.url);
      expect(new URL(page.url()).pathname).toBe(`/t/${tenant.slug}/login`);
      await page.getByRole('link', { name: 'Continue with Acme SSO' }).click();
      // oidc-provider's development login page.
      await page.waitForURL((url) => url.href.startsWith(`${op?.issuer ?? ''}/interaction/`));
      await page.locator('input[name="login"]').fill(UPSTREAM_SUB);
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      const callback = await landOn(page, rp.redirectUri('app'));
      expect(callback.searchParams.get('state')).toBe(auth.state);
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
      const { claims, tokens } = await redeemCallback(auth, callback);
      expect(claims).toMatchObject({ iss: tenant.issuer, aud: app.client_id, email });
      expect(decodeJwt(tokens.access_token)['amr']).toEqual(['fed']);
    },
    SLOW,
  );
});
