import { randomUUID } from 'node:crypto';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import type { RegisteredClient } from './support/fake-clients';
import { toProvider } from './support/federated-round-trip';
import {
  startMicrosoftStandIn,
  type MicrosoftStandIn,
  type MicrosoftUser,
} from './support/microsoft-stand-in';
import { tenantDb } from './support/oidc-fixtures';
import { cookieBrowser, type CookieBrowser } from './support/upstream-op';

jest.setTimeout(90_000);

const APP = 'https://app.example.com/cb';
const DIRECTORY_A = randomUUID();
const DIRECTORY_B = randomUUID();

/**
 * The Microsoft preset against a local stand-in of the identity platform v2.0: a multi-tenant
 * provider (`common`, whose discovery names the issuer `.../{tenantid}/v2.0`) accepts an ID token
 * whose `iss` is its own `tid`'s directory and refuses any other (or none); a single-tenant
 * provider keeps the exact issuer (docs/federation.md).
 */
describe('federation: Microsoft preset (common and single-tenant)', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let web: RegisteredClient;
  let ms: MicrosoftStandIn;
  const commonId = randomUUID();
  const singleId = randomUUID();
  const stops: (() => Promise<void>)[] = [];
  const dpUrl = () => new URL(tenant.issuer).origin;

  function microsoftEntry(id: string, directory: string) {
    return {
      id,
      type: 'microsoft',
      name: `Microsoft ${directory}`,
      enabled: true,
      issuer: directory,
      client_id: 'ms-client',
      client_secret: 'ms-secret',
      scopes: ['openid', 'email', 'profile'],
      attribute_mapping: { email: 'email', name: 'name', picture: 'picture' },
      icon_url: null,
      button_label: null,
      store_upstream_tokens: false,
      apple: null,
      endpoints: { issuer: `${ms.url}/${directory}/v2.0` },
    };
  }

  beforeAll(async () => {
    system = await startDpSystem();
    stops.push(() => system.close());
    tenant = await system.createTenant('fedms');
    web = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: [APP],
      settings: { first_party: true },
    });
    ms = await startMicrosoftStandIn({ clientId: 'ms-client', clientSecret: 'ms-secret' });
    stops.push(() => ms.close());
    await system.identityProviders.set(tenant.id, [
      microsoftEntry(commonId, 'common'),
      microsoftEntry(singleId, DIRECTORY_A),
    ]);
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  /** /authorize, the button, the stand-in (signs `user` in at once), back to the callback. */
  async function roundTrip(browser: CookieBrowser, providerId: string, user: MicrosoftUser) {
    const authorize = await toProvider(
      browser,
      { dpUrl: dpUrl(), tenantSlug: tenant.slug, clientId: web.client_id, redirectUri: APP },
      providerId,
      ms.url,
    );
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    ms.signInAs(user);
    const upstream = await browser.get(authorize.href);
    expect(upstream.status).toBe(302);
    return browser.get(browser.location(upstream, ms.url));
  }

  const person = (tid: string, extra: Partial<MicrosoftUser> = {}): MicrosoftUser => ({
    oid: randomUUID(),
    tid,
    email: `ms-${randomUUID()}@contoso.test`,
    name: 'Megan Bowen',
    ...extra,
  });

  async function expectSignedIn(back: Response, providerId: string, user: MicrosoftUser) {
    expect(back.status).toBe(303);
    const url = new URL(back.headers.get('location') ?? '', dpUrl());
    expect(`${url.origin}${url.pathname}`).toBe(APP);
    expect(url.searchParams.get('code')).toBeTruthy();
    const db = tenantDb(system, tenant);
    const identity = await db.userIdentities.find(providerId, user.oid);
    const created = await db.users.findById(String(identity?.userId));
    // Microsoft's email is never treated as verified.
    expect(created).toMatchObject({ email: user.email, emailVerified: false, name: user.name });
  }

  async function expectRefused(back: Response, providerId: string, user: MicrosoftUser) {
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('did not sign you in');
    const db = tenantDb(system, tenant);
    expect(await db.userIdentities.find(providerId, user.oid)).toBeUndefined();
  }

  it('common: signs in users of any directory, iss being their own tid', async () => {
    for (const tid of [DIRECTORY_A, DIRECTORY_B]) {
      const user = person(tid);
      await expectSignedIn(await roundTrip(cookieBrowser(), commonId, user), commonId, user);
    }
  });

  it('common: refuses an ID token whose iss is another directory than its tid', async () => {
    const user = person(DIRECTORY_A, { issuerTid: DIRECTORY_B });
    await expectRefused(await roundTrip(cookieBrowser(), commonId, user), commonId, user);
  });

  it('common: refuses an ID token without tid', async () => {
    const user = person(DIRECTORY_A, { noTid: true });
    await expectRefused(await roundTrip(cookieBrowser(), commonId, user), commonId, user);
  });

  it('single-tenant: signs in its directory with the exact issuer', async () => {
    const user = person(DIRECTORY_A);
    await expectSignedIn(await roundTrip(cookieBrowser(), singleId, user), singleId, user);
  });

  it('single-tenant: refuses a token of another directory, even with a consistent tid', async () => {
    const user = person(DIRECTORY_B);
    await expectRefused(await roundTrip(cookieBrowser(), singleId, user), singleId, user);
  });
});
