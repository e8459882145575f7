import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { startAppleStandIn, type AppleStandIn, type AppleUser } from './support/apple-stand-in';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import type { RegisteredClient } from './support/fake-clients';
import { startGoogleStandIn, type GoogleStandIn } from './support/google-stand-in';
import { toProvider as toProviderAuthorize } from './support/federated-round-trip';
import { tenantDb } from './support/oidc-fixtures';
import { cookieBrowser, type CookieBrowser } from './support/upstream-op';

jest.setTimeout(90_000);

const APP = 'https://app.example.com/cb';

/** A developer's Sign in with Apple key (.p8: PKCS#8 PEM, P-256). */
const developerKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/**
 * The Google and Apple presets against local stand-ins speaking their endpoints' shapes
 * (docs/federation.md): Google's plain code flow; Apple's form_post callback (a POST), its
 * client secret an ES256 JWT the stand-in verifies with the developer's public key, the email in
 * the ID token and the name only in the first authorization's `user` field.
 */
describe('federation: Google and Apple presets against stand-ins', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let web: RegisteredClient;
  let google: GoogleStandIn;
  let apple: AppleStandIn;
  const googleId = randomUUID();
  const appleId = randomUUID();
  const wrongKeyAppleId = randomUUID();
  const stops: (() => Promise<void>)[] = [];
  const dpUrl = () => new URL(tenant.issuer).origin;
  const key = developerKey();

  function entry(id: string, extra: Record<string, unknown>) {
    return {
      id,
      enabled: true,
      issuer: null,
      client_secret: null,
      scopes: ['openid', 'email', 'profile'],
      attribute_mapping: { email: 'email', name: 'name', picture: 'picture' },
      icon_url: null,
      button_label: null,
      store_upstream_tokens: false,
      apple: null,
      endpoints: {},
      ...extra,
    };
  }

  const appleEntry = (id: string, privateKey: string) =>
    entry(id, {
      type: 'apple',
      name: 'Apple',
      client_id: 'com.example.web',
      scopes: ['name', 'email'],
      apple: { team_id: 'TEAM123456', key_id: 'KEY1234567', private_key: privateKey },
      endpoints: { issuer: apple.url },
    });

  beforeAll(async () => {
    system = await startDpSystem();
    stops.push(() => system.close());
    tenant = await system.createTenant('fedpre');
    web = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: [APP],
      settings: { first_party: true },
    });
    google = await startGoogleStandIn({ clientId: 'g-client', clientSecret: 'g-secret' });
    stops.push(() => google.close());
    apple = await startAppleStandIn({
      clientId: 'com.example.web',
      teamId: 'TEAM123456',
      keyId: 'KEY1234567',
      developerKey: key.publicKey,
    });
    stops.push(() => apple.close());
    const pem = (k: ReturnType<typeof developerKey>) =>
      k.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await system.identityProviders.set(tenant.id, [
      entry(googleId, {
        type: 'google',
        name: 'Google',
        client_id: 'g-client',
        client_secret: 'g-secret',
        endpoints: { issuer: google.url },
      }),
      appleEntry(appleId, pem(key)),
      appleEntry(wrongKeyAppleId, pem(developerKey())),
    ]);
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  /** /authorize, the sign-in page, the provider's button: the provider's authorization URL. */
  const toProvider = (browser: CookieBrowser, providerId: string, origin: string) =>
    toProviderAuthorize(
      browser,
      { dpUrl: dpUrl(), tenantSlug: tenant.slug, clientId: web.client_id, redirectUri: APP },
      providerId,
      origin,
    );

  function expectCode(back: Response) {
    expect(back.status).toBe(303);
    const url = new URL(back.headers.get('location') ?? '', dpUrl());
    expect(`${url.origin}${url.pathname}`).toBe(APP);
    expect(url.searchParams.get('code')).toBeTruthy();
  }

  it('Google: signs a new user in with its verified email, name and picture', async () => {
    const browser = cookieBrowser();
    const user = {
      sub: String(Date.now()),
      email: `g-${randomUUID()}@gmail.test`,
      email_verified: true,
      name: 'Gee Mail',
      picture: 'https://lh3.googleusercontent.test/a/pic',
    };
    const authorize = await toProvider(browser, googleId, google.url);
    expect(authorize.searchParams.get('scope')).toBe('openid email profile');
    google.signInAs(user);
    const upstream = await browser.get(authorize.href);
    expect(upstream.status).toBe(302);
    expectCode(await browser.get(browser.location(upstream, google.url)));
    const db = tenantDb(system, tenant);
    const identity = await db.userIdentities.find(googleId, user.sub);
    const created = await db.users.findById(String(identity?.userId));
    expect(created).toMatchObject({ email: user.email, emailVerified: true, name: 'Gee Mail' });
    expect(created?.metadata).toMatchObject({ picture: user.picture });
  });

  /** Apple's authorize answers a self-submitting form; the browser POSTs it to the callback. */
  async function appleRoundTrip(browser: CookieBrowser, providerId: string, user: AppleUser) {
    const authorize = await toProvider(browser, providerId, apple.url);
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    apple.signInAs(user);
    const form = await browser.get(authorize.href);
    expect(form.status).toBe(200);
    const html = await form.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [
        m[1] ?? '',
        (m[2] ?? '')
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&amp;/g, '&'),
      ]),
    );
    return { fields, back: await browser.post(action, fields) };
  }

  it('Apple: form_post callback, ES256 client secret, name only from the first POST', async () => {
    const user: AppleUser = {
      sub: `000123.${randomUUID().replace(/-/g, '')}.0001`,
      email: `${randomUUID()}@privaterelay.appleid.test`,
      firstName: 'Ada',
      lastName: 'Lovelace',
    };
    const first = await appleRoundTrip(cookieBrowser(), appleId, user);
    expect(first.fields['user']).toContain('Lovelace');
    expectCode(first.back);
    expect(apple.refusals).toEqual([]);
    const db = tenantDb(system, tenant);
    const identity = await db.userIdentities.find(appleId, user.sub);
    const created = await db.users.findById(String(identity?.userId));
    // Email from the ID token (`email_verified: "true"`, a string), name from the `user` field.
    expect(created).toMatchObject({ email: user.email, emailVerified: true, name: 'Ada Lovelace' });

    const again = await appleRoundTrip(cookieBrowser(), appleId, user);
    expect(again.fields['user']).toBeUndefined();
    expectCode(again.back);
    const returning = await db.userIdentities.find(appleId, user.sub);
    expect(returning?.userId).toBe(identity?.userId);
    expect(await db.users.findById(String(identity?.userId))).toMatchObject({
      name: 'Ada Lovelace',
    });
  });

  it('Apple: a client secret signed with another key is refused by Apple, no sign-in', async () => {
    const user: AppleUser = {
      sub: `000999.${randomUUID().replace(/-/g, '')}.0001`,
      email: `${randomUUID()}@privaterelay.appleid.test`,
      firstName: 'Eve',
      lastName: 'Forger',
    };
    const { back } = await appleRoundTrip(cookieBrowser(), wrongKeyAppleId, user);
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('did not sign you in');
    expect(apple.refusals).toContain('signature');
    const db = tenantDb(system, tenant);
    expect(await db.userIdentities.find(wrongKeyAppleId, user.sub)).toBeUndefined();
  });
});
