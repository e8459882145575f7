import type { GlobalDb, TenantRow } from '@hellojohn/dal';
import { safeEqual, sha256Hex } from '@hellojohn/tokens';
import request from 'supertest';
import { CreateClientBody } from '../src/features/clients/clients.schemas';
import { createClientService } from '../src/features/clients/clients.service';
import type { ClientService } from '../src/features/clients';
import { startCpApp, type CpApp } from './support/cp-app';
import type { DatabaseSetup } from './support/cp-databases';

interface ClientBody {
  client_id: string;
  client_secret?: string;
  name: string;
  type: string;
  redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  allowed_origins: string[];
  post_logout_redirect_uris: string[];
  first_party: boolean;
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  id_token_signed_response_alg: string;
  token_endpoint_auth_method: string;
  logo_uri: string | null;
  client_uri: string | null;
  policy_uri: string | null;
  tos_uri: string | null;
  custom_claims: Record<string, unknown>[] | null;
  created_at: string;
  updated_at: string;
}

/** What a client registered without any of the browser-sign-in settings answers. */
const SETTING_DEFAULTS = {
  allowed_origins: [],
  post_logout_redirect_uris: [],
  first_party: false,
  access_token_ttl: null,
  refresh_token_ttl: null,
  id_token_signed_response_alg: 'RS256',
  logo_uri: null,
  client_uri: null,
  policy_uri: null,
  tos_uri: null,
  custom_claims: null,
};

/** A browser app with every setting of issue 9 set to something other than its default. */
const SPA = {
  name: 'Dashboard',
  type: 'public',
  redirect_uris: ['https://dash.example.com/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  allowed_origins: ['https://dash.example.com', 'http://localhost:5173'],
  post_logout_redirect_uris: ['https://dash.example.com/signed-out'],
  first_party: true,
  access_token_ttl: 300,
  refresh_token_ttl: 3600,
  id_token_signed_response_alg: 'EdDSA',
  token_endpoint_auth_method: 'none',
  logo_uri: 'https://dash.example.com/logo.svg',
  client_uri: 'https://dash.example.com',
  policy_uri: 'https://example.com/privacy',
  tos_uri: 'https://example.com/terms',
  custom_claims: [{ claim: 'app', value: 'dashboard', tokens: ['access'] }],
};

const WEB_APP = {
  name: 'Web app',
  type: 'confidential',
  redirect_uris: ['https://app.example.com/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'email'],
};
const NATIVE_APP = {
  name: 'Native app',
  type: 'public',
  redirect_uris: ['com.example.app:/oauth2redirect', 'http://127.0.0.1:7777/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
};

/** The client as GET shows it: everything the 201 showed except the secret. */
function withoutSecret(client: ClientBody): Omit<ClientBody, 'client_secret'> {
  return Object.fromEntries(
    Object.entries(client).filter(([key]) => key !== 'client_secret'),
  ) as Omit<ClientBody, 'client_secret'>;
}

/** Every route of issue 3's "Clients" against one database engine. */
export function clientsSuite(engine: string, setup: DatabaseSetup): void {
  describe(`OAuth clients API (${engine})`, () => {
    let cp: CpApp;
    let clients: ClientService;
    let cleanup: () => Promise<void>;
    let tenant: TenantRow;
    let ownerToken: string;
    let viewer: string;

    const owner = (): string => `Bearer ${ownerToken}`;
    const base = (ref = tenant.slug): string => `/v1/tenants/${ref}/clients`;
    async function create(body: object = WEB_APP, ref = tenant.slug): Promise<ClientBody> {
      const res = await request(cp.app)
        .post(base(ref))
        .set('Authorization', owner())
        .send(body)
        .expect(201);
      return res.body as ClientBody;
    }
    async function secretHashOf(clientId: string, tenantId = tenant.id) {
      return (await cp.deps.db.clients.findByClientId(tenantId, clientId))?.secretHash;
    }

    beforeAll(async () => {
      const db = await setup();
      cleanup = db.cleanup;
      cp = await startCpApp(db.databaseUrl, { manualRelay: true });
      clients = cp.deps.modules.clients.service;
      ownerToken = await cp.token();
      tenant = await cp.createTenant();
      viewer = await cp.viewerToken();
    });
    afterAll(async () => {
      await cp.close();
      await cleanup();
    });
    // Each test starts with an empty outbox and sees only the events it caused.
    beforeEach(async () => {
      await cp.takeEvents();
    });

    describe('create', () => {
      it('registers a confidential client, shows its secret once and stores only its hash', async () => {
        const res = await request(cp.app)
          .post(base())
          .set('Authorization', owner())
          .send(WEB_APP)
          .expect(201);
        const body = res.body as ClientBody;
        expect(body).toEqual({
          client_id: expect.stringMatching(/^hjc_[A-Za-z0-9_-]{22}$/),
          client_secret: expect.stringMatching(/^hjcs_[A-Za-z0-9_-]{43}$/),
          name: 'Web app',
          type: 'confidential',
          redirect_uris: WEB_APP.redirect_uris,
          grant_types: WEB_APP.grant_types,
          scopes: ['openid', 'email'],
          ...SETTING_DEFAULTS,
          token_endpoint_auth_method: 'client_secret_basic',
          created_at: expect.any(String),
          updated_at: expect.any(String),
        });
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['location']).toBe(`${base()}/${body.client_id}`);

        const row = await cp.deps.db.clients.findByClientId(tenant.id, body.client_id);
        expect(row?.secretHash).toBe(sha256Hex(body.client_secret!));
        expect(JSON.stringify(row)).not.toContain(body.client_secret);

        const fetched = await request(cp.app)
          .get(`${base()}/${body.client_id}`)
          .set('Authorization', owner())
          .expect(200);
        expect(fetched.body).not.toHaveProperty('client_secret');
        expect(fetched.body).not.toHaveProperty('secret_hash');
        expect(fetched.body).toEqual(withoutSecret(body));
      });

      it('writes client.created to the outbox with the change, and the relay publishes it', async () => {
        const { client_id } = await create();
        const events = await cp.takeEvents();
        expect(events).toEqual([
          expect.objectContaining({
            type: 'client.created',
            tenant_id: tenant.id,
            data: { client_id },
          }),
        ]);
        const id = events[0]!.id;
        for (let i = 0; i < 500 && !cp.events.some((event) => event.id === id); i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(cp.events.filter((event) => event.id === id)).toHaveLength(1);
      });

      it('registers a public client with no secret, private-use and loopback redirects, and default scopes', async () => {
        const body = await create(NATIVE_APP);
        expect(body).not.toHaveProperty('client_secret');
        expect(body.scopes).toEqual(['openid', 'profile', 'email']);
        expect(body.redirect_uris).toEqual(NATIVE_APP.redirect_uris);
        expect(body).toMatchObject({ ...SETTING_DEFAULTS, token_endpoint_auth_method: 'none' });
        expect(await secretHashOf(body.client_id)).toBeNull();
      });

      it('registers a client_credentials-only confidential client without redirect URIs', async () => {
        const body = await create({
          name: 'Backend job',
          type: 'confidential',
          grant_types: ['client_credentials'],
          scopes: ['reports:read'],
        });
        expect(body.redirect_uris).toEqual([]);
        expect(body.client_secret).toBeDefined();
      });

      it('names the tenant by id as well as by slug, and ids are unguessable', async () => {
        const a = await create(WEB_APP, tenant.id);
        const b = await create(WEB_APP, tenant.slug);
        expect(a.client_id).not.toBe(b.client_id);
        expect(a.client_secret).not.toBe(b.client_secret);
      });
    });

    describe('validation', () => {
      const longUri = `https://app.example.com/${'a'.repeat(1980)}`;
      it.each<[string, Record<string, unknown>, string]>([
        ['an unknown field', { ...WEB_APP, secret: 'mine' }, 'body.secret'],
        ['a missing name', { ...WEB_APP, name: undefined }, 'body.name'],
        ['a blank name', { ...WEB_APP, name: '   ' }, 'body.name'],
        ['an unknown type', { ...WEB_APP, type: 'hybrid' }, 'body.type'],
        ['a relative redirect URI', { ...WEB_APP, redirect_uris: ['/cb'] }, 'body.redirect_uris.0'],
        [
          'http on a public host',
          { ...WEB_APP, redirect_uris: ['http://app.example.com/cb'] },
          'body.redirect_uris.0',
        ],
        [
          'a fragment',
          { ...WEB_APP, redirect_uris: ['https://app.example.com/cb#x'] },
          'body.redirect_uris.0',
        ],
        [
          'a javascript: URI',
          { ...NATIVE_APP, redirect_uris: ['javascript:alert(1)'] },
          'body.redirect_uris.0',
        ],
        [
          'a redirect URI over 2000 characters',
          { ...WEB_APP, redirect_uris: [`${longUri}${'b'.repeat(30)}`] },
          'body.redirect_uris.0',
        ],
        [
          'more than 20 redirect URIs',
          {
            ...WEB_APP,
            redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example.com/${i}`),
          },
          'body.redirect_uris',
        ],
        [
          'a duplicate redirect URI',
          { ...WEB_APP, redirect_uris: ['https://a.example/cb', 'https://a.example/cb'] },
          'body.redirect_uris.1',
        ],
        [
          'a private-use scheme on a confidential client',
          { ...WEB_APP, redirect_uris: ['com.example.app:/cb'] },
          'body.redirect_uris.0',
        ],
        ['no grant types', { ...WEB_APP, grant_types: [] }, 'body.grant_types'],
        ['a missing grant_types', { ...WEB_APP, grant_types: undefined }, 'body.grant_types'],
        [
          'an unsupported grant type',
          { ...WEB_APP, grant_types: ['password'] },
          'body.grant_types.0',
        ],
        [
          'a duplicate grant type',
          { ...WEB_APP, grant_types: ['refresh_token', 'refresh_token'] },
          'body.grant_types.1',
        ],
        [
          'client_credentials on a public client',
          { ...NATIVE_APP, grant_types: ['refresh_token', 'client_credentials'] },
          'body.grant_types.1',
        ],
        [
          'authorization_code without redirect URIs',
          { ...WEB_APP, redirect_uris: [] },
          'body.redirect_uris',
        ],
        ['a scope with a space', { ...WEB_APP, scopes: ['openid email'] }, 'body.scopes.0'],
        ['a scope with a quote', { ...WEB_APP, scopes: ['openid', 'a"b'] }, 'body.scopes.1'],
        ['a scope with a backslash', { ...WEB_APP, scopes: ['a\\b'] }, 'body.scopes.0'],
        ['a duplicate scope', { ...WEB_APP, scopes: ['openid', 'openid'] }, 'body.scopes.1'],
        ['scopes that are not an array', { ...WEB_APP, scopes: 'openid email' }, 'body.scopes'],
      ])('rejects %s with 400 validation_failed and writes nothing', async (_label, body, path) => {
        const before = (await clients.list(tenant.slug, { limit: 100 })).data.length;
        const res = await request(cp.app)
          .post(base())
          .set('Authorization', owner())
          .send(body)
          .expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
        expect((await clients.list(tenant.slug, { limit: 100 })).data).toHaveLength(before);
        expect(await cp.pendingOutbox()).toEqual([]);
      });

      it('accepts a redirect URI of exactly 2000 characters', async () => {
        const uri = `https://app.example.com/${'a'.repeat(2000 - 'https://app.example.com/'.length)}`;
        expect(uri).toHaveLength(2000);
        await create({ ...WEB_APP, redirect_uris: [uri] });
      });

      it('rejects a body that is not JSON with 415', async () => {
        const res = await request(cp.app)
          .post(base())
          .set('Authorization', owner())
          .set('Content-Type', 'text/plain')
          .send('name=x')
          .expect(415);
        expect(res.body.code).toBe('unsupported_media_type');
      });
    });

    describe('browser sign-in settings', () => {
      const longHttps = `https://dash.example.com/${'a'.repeat(2000)}`;
      const origins = (...list: string[]) => ({ ...SPA, allowed_origins: list });

      it('registers a client with every setting, and GET and the internal API show them', async () => {
        const body = await create(SPA);
        expect(body).toEqual({
          ...SPA,
          client_id: expect.stringMatching(/^hjc_/),
          scopes: ['openid', 'profile', 'email'],
          created_at: expect.any(String),
          updated_at: expect.any(String),
        });
        const fetched = await request(cp.app)
          .get(`${base()}/${body.client_id}`)
          .set('Authorization', owner())
          .expect(200);
        expect(fetched.body).toEqual(body);
        const internal = await request(cp.app)
          .get(`/internal/v1/tenants/${tenant.id}/clients/${body.client_id}`)
          .set('Authorization', `Bearer ${cp.deps.config.internalToken}`)
          .expect(200);
        expect(internal.body).toEqual({ ...body, tenant_id: tenant.id, secret_hash: null });
      });

      it('registers a confidential client that posts its secret, and with null settings', async () => {
        const body = await create({
          ...WEB_APP,
          token_endpoint_auth_method: 'client_secret_post',
          access_token_ttl: null,
          logo_uri: null,
        });
        expect(body).toMatchObject({
          ...SETTING_DEFAULTS,
          token_endpoint_auth_method: 'client_secret_post',
        });
        expect(body.client_secret).toBeDefined();
      });

      it('stores origins as browsers send them: lower-case, punycode, no default port', async () => {
        const body = await create(
          origins('HTTPS://Dash.Example.COM:443', 'http://[::1]:8080', 'https://bücher.example'),
        );
        expect(body.allowed_origins).toEqual([
          'https://dash.example.com',
          'http://[::1]:8080',
          'https://xn--bcher-kva.example',
        ]);
      });

      it('accepts 50 origins, each TTL at its bounds and a URI of 2000 characters', async () => {
        const fifty = Array.from({ length: 50 }, (_, i) => `https://app${i}.example.com`);
        const uri = longHttps.slice(0, 2000);
        const body = await create({
          ...SPA,
          allowed_origins: fifty,
          access_token_ttl: 86_400,
          refresh_token_ttl: 300,
          tos_uri: uri,
        });
        expect(body.allowed_origins).toEqual(fifty);
        expect([body.access_token_ttl, body.refresh_token_ttl, body.tos_uri]).toEqual([
          86_400,
          300,
          uri,
        ]);
        const low = await create({ ...SPA, access_token_ttl: 60, refresh_token_ttl: 31_536_000 });
        expect([low.access_token_ttl, low.refresh_token_ttl]).toEqual([60, 31_536_000]);
      });

      // Each case: what is wrong, the body, the path named, and words of the message (if any).
      const invalid: Array<[string, Record<string, unknown>, string, string?]> = [
        [
          'an origin with a path',
          origins('https://dash.example.com/app'),
          'body.allowed_origins.0',
          'without path',
        ],
        [
          'an origin with a trailing slash',
          origins('https://dash.example.com/'),
          'body.allowed_origins.0',
        ],
        [
          'an origin with a query',
          origins('https://dash.example.com?x=1'),
          'body.allowed_origins.0',
        ],
        [
          'an origin with a fragment',
          origins('https://dash.example.com#x'),
          'body.allowed_origins.0',
        ],
        [
          'a wildcard origin',
          origins('https://*.example.com'),
          'body.allowed_origins.0',
          'wildcard',
        ],
        ['a bare wildcard', origins('*'), 'body.allowed_origins.0', 'wildcard'],
        [
          'an http origin on a public host',
          origins('https://ok.example.com', 'http://dash.example.com'),
          'body.allowed_origins.1',
          'http is only allowed for localhost',
        ],
        [
          'an origin with credentials',
          origins('https://user:pw@dash.example.com'),
          'body.allowed_origins.0',
        ],
        ['a non-web scheme', origins('ftp://dash.example.com'), 'body.allowed_origins.0'],
        ['the null origin', origins('null'), 'body.allowed_origins.0'],
        ['a host name alone', origins('dash.example.com'), 'body.allowed_origins.0'],
        [
          'a duplicate origin',
          origins('https://a.example', 'https://a.example'),
          'body.allowed_origins.1',
          'duplicate',
        ],
        [
          'the same origin twice after normalisation',
          origins('https://a.example', 'HTTPS://A.example:443'),
          'body.allowed_origins.1',
          'duplicate',
        ],
        [
          'more than 50 origins',
          origins(...Array.from({ length: 51 }, (_, i) => `https://app${i}.example.com`)),
          'body.allowed_origins',
        ],
        [
          'a post-logout URI over http on a public host',
          { ...SPA, post_logout_redirect_uris: ['http://dash.example.com/bye'] },
          'body.post_logout_redirect_uris.0',
        ],
        [
          'a post-logout URI with a fragment',
          { ...SPA, post_logout_redirect_uris: ['https://dash.example.com/bye#x'] },
          'body.post_logout_redirect_uris.0',
        ],
        [
          'a duplicate post-logout URI',
          { ...SPA, post_logout_redirect_uris: ['https://a.example/bye', 'https://a.example/bye'] },
          'body.post_logout_redirect_uris.1',
        ],
        [
          'a private-use post-logout URI on a confidential client',
          { ...WEB_APP, post_logout_redirect_uris: ['com.example.app:/bye'] },
          'body.post_logout_redirect_uris.0',
          'private-use',
        ],
        ['a first_party that is not a boolean', { ...SPA, first_party: 'yes' }, 'body.first_party'],
        ['an access_token_ttl under 60', { ...SPA, access_token_ttl: 59 }, 'body.access_token_ttl'],
        [
          'an access_token_ttl over a day',
          { ...SPA, access_token_ttl: 86_401 },
          'body.access_token_ttl',
        ],
        [
          'a fractional access_token_ttl',
          { ...SPA, access_token_ttl: 90.5 },
          'body.access_token_ttl',
        ],
        [
          'an access_token_ttl as a string',
          { ...SPA, access_token_ttl: '900' },
          'body.access_token_ttl',
        ],
        [
          'a refresh_token_ttl under 300',
          { ...SPA, refresh_token_ttl: 299 },
          'body.refresh_token_ttl',
        ],
        [
          'a refresh_token_ttl over a year',
          { ...SPA, refresh_token_ttl: 31_536_001 },
          'body.refresh_token_ttl',
        ],
        [
          'an HMAC ID token algorithm',
          { ...SPA, id_token_signed_response_alg: 'HS256' },
          'body.id_token_signed_response_alg',
        ],
        [
          'unsigned ID tokens',
          { ...SPA, id_token_signed_response_alg: 'none' },
          'body.id_token_signed_response_alg',
        ],
        [
          'an unsupported auth method',
          { ...WEB_APP, token_endpoint_auth_method: 'private_key_jwt' },
          'body.token_endpoint_auth_method',
        ],
        [
          'a public client with client_secret_basic',
          { ...SPA, token_endpoint_auth_method: 'client_secret_basic' },
          'body.token_endpoint_auth_method',
          'must be none',
        ],
        [
          'a public client with client_secret_post',
          { ...NATIVE_APP, token_endpoint_auth_method: 'client_secret_post' },
          'body.token_endpoint_auth_method',
        ],
        [
          'a confidential client with none',
          { ...WEB_APP, token_endpoint_auth_method: 'none' },
          'body.token_endpoint_auth_method',
          'client_secret_basic or client_secret_post',
        ],
        [
          'a logo over http',
          { ...SPA, logo_uri: 'http://dash.example.com/logo.svg' },
          'body.logo_uri',
          'https',
        ],
        ['a relative client_uri', { ...SPA, client_uri: '/about' }, 'body.client_uri'],
        [
          'a javascript: policy_uri',
          { ...SPA, policy_uri: 'javascript:alert(1)' },
          'body.policy_uri',
        ],
        [
          'a tos_uri with credentials',
          { ...SPA, tos_uri: 'https://u:p@example.com/terms' },
          'body.tos_uri',
        ],
        ['a tos_uri over 2000 characters', { ...SPA, tos_uri: longHttps }, 'body.tos_uri'],
        ['an empty logo_uri', { ...SPA, logo_uri: '' }, 'body.logo_uri'],
      ];
      it.each(invalid.map(([label, body, path, message]) => [label, body, path, message ?? '']))(
        'rejects %s with 400 validation_failed and writes nothing',
        async (_label, body, path, message) => {
          const before = (await clients.list(tenant.slug, { limit: 100 })).data.length;
          const res = await request(cp.app)
            .post(base())
            .set('Authorization', owner())
            .send(body)
            .expect(400);
          expect(res.body.code).toBe('validation_failed');
          const errors = res.body.errors as Array<{ path: string; message: string }>;
          expect(errors.map((error) => error.path)).toContain(path);
          if (message) {
            expect(errors.find((error) => error.path === path)?.message).toContain(message);
          }
          expect((await clients.list(tenant.slug, { limit: 100 })).data).toHaveLength(before);
          expect(await cp.pendingOutbox()).toEqual([]);
        },
      );

      it('changes each setting; null restores a TTL to the tenant’s and clears a URI', async () => {
        const client = await create(SPA);
        await cp.takeEvents();
        const res = await request(cp.app)
          .patch(`${base()}/${client.client_id}`)
          .set('Authorization', owner())
          .send({
            allowed_origins: ['https://New.example.com'],
            post_logout_redirect_uris: [],
            first_party: false,
            access_token_ttl: null,
            refresh_token_ttl: 7200,
            id_token_signed_response_alg: 'RS256',
            logo_uri: null,
            client_uri: 'https://new.example.com',
          })
          .expect(200);
        expect(res.body).toEqual({
          ...client,
          allowed_origins: ['https://new.example.com'],
          post_logout_redirect_uris: [],
          first_party: false,
          access_token_ttl: null,
          refresh_token_ttl: 7200,
          id_token_signed_response_alg: 'RS256',
          logo_uri: null,
          client_uri: 'https://new.example.com',
          updated_at: expect.any(String),
        });
        expect(await cp.takeEvents()).toEqual([
          expect.objectContaining({
            type: 'client.updated',
            data: { client_id: client.client_id },
          }),
        ]);
        const internal = await request(cp.app)
          .get(`/internal/v1/tenants/${tenant.slug}/clients/${client.client_id}`)
          .set('Authorization', `Bearer ${cp.deps.config.internalToken}`)
          .expect(200);
        expect(internal.body).toMatchObject({
          allowed_origins: ['https://new.example.com'],
          access_token_ttl: null,
          refresh_token_ttl: 7200,
          logo_uri: null,
        });
      });

      it('switches a confidential client between the two secret methods', async () => {
        const client = await create();
        for (const method of ['client_secret_post', 'client_secret_basic']) {
          const res = await request(cp.app)
            .patch(`${base()}/${client.client_id}`)
            .set('Authorization', owner())
            .send({ token_endpoint_auth_method: method })
            .expect(200);
          expect(res.body.token_endpoint_auth_method).toBe(method);
        }
      });
    });

    describe('tenant checks', () => {
      it('answers 404 tenant_not_found on every route for an unknown tenant', async () => {
        const calls = [
          request(cp.app).post(base('no-such-tenant')).send(WEB_APP),
          request(cp.app).get(base('no-such-tenant')),
          request(cp.app).get(`${base('no-such-tenant')}/hjc_x`),
          request(cp.app)
            .patch(`${base('no-such-tenant')}/hjc_x`)
            .send({ name: 'x' }),
          request(cp.app).delete(`${base('no-such-tenant')}/hjc_x`),
          request(cp.app).post(`${base('no-such-tenant')}/hjc_x/secret`),
        ];
        for (const call of calls) {
          const res = await call.set('Authorization', owner());
          expect([res.status, res.body.code]).toEqual([404, 'tenant_not_found']);
        }
      });

      it('answers 409 tenant_not_ready to writes on a tenant being deleted, and still reads', async () => {
        const doomed = await cp.createTenant(undefined, 'active');
        const client = await create(WEB_APP, doomed.slug);
        await cp.takeEvents();
        await cp.deps.db.tenants.setStatus(doomed.id, 'deleting', null);
        const path = `${base(doomed.slug)}/${client.client_id}`;
        const writes = [
          request(cp.app).post(base(doomed.slug)).send(WEB_APP),
          request(cp.app).patch(path).send({ name: 'x' }),
          request(cp.app).delete(path),
          request(cp.app).post(`${path}/secret`),
        ];
        for (const call of writes) {
          const res = await call.set('Authorization', owner());
          expect([res.status, res.body.code]).toEqual([409, 'tenant_not_ready']);
        }
        await request(cp.app).get(path).set('Authorization', owner()).expect(200);
        expect(await cp.pendingOutbox()).toEqual([]);
      });

      it("never reaches another tenant's client", async () => {
        const other = await cp.createTenant();
        const client = await create(WEB_APP, other.slug);
        const path = `${base()}/${client.client_id}`;
        const calls = [
          request(cp.app).get(path),
          request(cp.app).patch(path).send({ name: 'hijacked' }),
          request(cp.app).post(`${path}/secret`),
          request(cp.app).delete(path),
        ];
        for (const call of calls) {
          const res = await call.set('Authorization', owner());
          expect([res.status, res.body.code]).toEqual([404, 'client_not_found']);
        }
        const row = await cp.deps.db.clients.findByClientId(other.id, client.client_id);
        expect(row?.name).toBe('Web app');
        expect(row?.secretHash).toBe(sha256Hex(client.client_secret!));
      });
    });

    describe('update', () => {
      it('changes name, redirect URIs, grant types and scopes, and writes client.updated', async () => {
        const client = await create();
        await cp.takeEvents();
        const res = await request(cp.app)
          .patch(`${base()}/${client.client_id}`)
          .set('Authorization', owner())
          .send({
            name: 'Renamed',
            redirect_uris: ['https://new.example.com/cb'],
            grant_types: ['authorization_code', 'client_credentials'],
            scopes: ['openid'],
          })
          .expect(200);
        expect(res.body).toEqual({
          ...client,
          client_secret: undefined,
          name: 'Renamed',
          redirect_uris: ['https://new.example.com/cb'],
          grant_types: ['authorization_code', 'client_credentials'],
          scopes: ['openid'],
          updated_at: expect.any(String),
        });
        expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(
          Date.parse(client.updated_at),
        );
        expect(await secretHashOf(client.client_id)).toBe(sha256Hex(client.client_secret!));
        expect(await cp.takeEvents()).toEqual([
          expect.objectContaining({
            type: 'client.updated',
            tenant_id: tenant.id,
            data: { client_id: client.client_id },
          }),
        ]);
      });

      it('changes one field and keeps the others', async () => {
        const client = await create();
        const res = await request(cp.app)
          .patch(`${base()}/${client.client_id}`)
          .set('Authorization', owner())
          .send({ scopes: ['openid', 'offline_access'] })
          .expect(200);
        expect(res.body.redirect_uris).toEqual(client.redirect_uris);
        expect(res.body.name).toBe(client.name);
        expect(res.body.scopes).toEqual(['openid', 'offline_access']);
      });

      it.each<[string, 'web' | 'native' | 'job', Record<string, unknown>, string]>([
        ['an empty patch', 'web', {}, 'body'],
        ['a type change', 'web', { type: 'public' }, 'body.type'],
        ['a client_id change', 'web', { client_id: 'hjc_mine' }, 'body.client_id'],
        [
          'an invalid redirect URI',
          'web',
          { redirect_uris: ['http://evil.example/cb'] },
          'body.redirect_uris.0',
        ],
        [
          'removing every redirect URI of an authorization_code client',
          'web',
          { redirect_uris: [] },
          'body.redirect_uris',
        ],
        [
          'adding authorization_code to a client without redirect URIs',
          'job',
          { grant_types: ['authorization_code'] },
          'body.grant_types',
        ],
        [
          'client_credentials on a public client',
          'native',
          { grant_types: ['client_credentials'] },
          'body.grant_types.0',
        ],
        [
          'a private-use scheme on a confidential client',
          'web',
          { redirect_uris: ['com.example.app:/cb'] },
          'body.redirect_uris.0',
        ],
        ['a bad scope', 'web', { scopes: ['a b'] }, 'body.scopes.0'],
        ['a blank name', 'web', { name: '' }, 'body.name'],
        [
          'none as the auth method of a confidential client',
          'web',
          { token_endpoint_auth_method: 'none' },
          'body.token_endpoint_auth_method',
        ],
        [
          'a secret method for a public client',
          'native',
          { token_endpoint_auth_method: 'client_secret_post' },
          'body.token_endpoint_auth_method',
        ],
        [
          'a wildcard origin',
          'web',
          { allowed_origins: ['https://*.example.com'] },
          'body.allowed_origins.0',
        ],
        [
          'a private-use post-logout URI on a confidential client',
          'web',
          { post_logout_redirect_uris: ['com.example.app:/bye'] },
          'body.post_logout_redirect_uris.0',
        ],
        ['a TTL over its bound', 'web', { access_token_ttl: 86_401 }, 'body.access_token_ttl'],
        ['a null first_party', 'web', { first_party: null }, 'body.first_party'],
        [
          'a null ID token algorithm',
          'web',
          { id_token_signed_response_alg: null },
          'body.id_token_signed_response_alg',
        ],
        ['a logo over http', 'web', { logo_uri: 'http://x.example/l.png' }, 'body.logo_uri'],
      ])(
        'rejects %s with 400 validation_failed and changes nothing',
        async (_label, kind, patch, path) => {
          const body =
            kind === 'web'
              ? WEB_APP
              : kind === 'native'
                ? NATIVE_APP
                : { name: 'Job', type: 'confidential', grant_types: ['client_credentials'] };
          const client = await create(body);
          await cp.takeEvents();
          const res = await request(cp.app)
            .patch(`${base()}/${client.client_id}`)
            .set('Authorization', owner())
            .send(patch)
            .expect(400);
          expect(res.body.code).toBe('validation_failed');
          expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
          const after = await clients.get(tenant.slug, client.client_id);
          expect(after).toEqual(withoutSecret(client));
          expect(await cp.pendingOutbox()).toEqual([]);
        },
      );

      it('answers 404 client_not_found for an unknown client', async () => {
        const res = await request(cp.app)
          .patch(`${base()}/hjc_unknown`)
          .set('Authorization', owner())
          .send({ name: 'x' })
          .expect(404);
        expect(res.body.code).toBe('client_not_found');
      });
    });

    describe('delete', () => {
      it('deletes a client (204), writes client.deleted, and a second delete is 404', async () => {
        const client = await create();
        await cp.takeEvents();
        const path = `${base()}/${client.client_id}`;
        const res = await request(cp.app).delete(path).set('Authorization', owner()).expect(204);
        expect(res.text).toBe('');
        expect(await cp.takeEvents()).toEqual([
          expect.objectContaining({
            type: 'client.deleted',
            tenant_id: tenant.id,
            data: { client_id: client.client_id },
          }),
        ]);
        const gone = await request(cp.app).get(path).set('Authorization', owner()).expect(404);
        expect(gone.body.code).toBe('client_not_found');
        const again = await request(cp.app).delete(path).set('Authorization', owner()).expect(404);
        expect(again.body.code).toBe('client_not_found');
        expect(await cp.pendingOutbox()).toEqual([]);
      });
    });

    describe('secret rotation', () => {
      it('replaces the secret: shown once, stored hashed, the old one no longer matches', async () => {
        const client = await create();
        await cp.takeEvents();
        const res = await request(cp.app)
          .post(`${base()}/${client.client_id}/secret`)
          .set('Authorization', owner())
          .expect(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({
          client_id: client.client_id,
          client_secret: expect.stringMatching(/^hjcs_[A-Za-z0-9_-]{43}$/),
        });
        const fresh = res.body.client_secret as string;
        expect(fresh).not.toBe(client.client_secret);
        const stored = (await secretHashOf(client.client_id))!;
        expect(stored).toBe(sha256Hex(fresh));
        expect(safeEqual(sha256Hex(client.client_secret!), stored)).toBe(false);
        expect(await cp.takeEvents()).toEqual([
          expect.objectContaining({
            type: 'client.updated',
            tenant_id: tenant.id,
            data: { client_id: client.client_id },
          }),
        ]);
        const fetched = await request(cp.app)
          .get(`${base()}/${client.client_id}`)
          .set('Authorization', owner())
          .expect(200);
        expect(JSON.stringify(fetched.body)).not.toContain(fresh);
      });

      it('refuses public clients (400 at params.client_id)', async () => {
        const client = await create(NATIVE_APP);
        await cp.takeEvents();
        const res = await request(cp.app)
          .post(`${base()}/${client.client_id}/secret`)
          .set('Authorization', owner())
          .expect(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.errors).toEqual([
          { path: 'params.client_id', message: 'public clients have no secret' },
        ]);
        expect(await secretHashOf(client.client_id)).toBeNull();
        expect(await cp.pendingOutbox()).toEqual([]);
      });

      it('rejects a body with fields, and 404s an unknown client', async () => {
        const client = await create();
        const res = await request(cp.app)
          .post(`${base()}/${client.client_id}/secret`)
          .set('Authorization', owner())
          .send({ client_secret: 'chosen-by-me' })
          .expect(400);
        expect(res.body.errors[0].path).toBe('body.client_secret');
        const missing = await request(cp.app)
          .post(`${base()}/hjc_unknown/secret`)
          .set('Authorization', owner())
          .expect(404);
        expect(missing.body.code).toBe('client_not_found');
      });
    });

    describe('list', () => {
      it('pages through a tenant’s clients with limit and cursor', async () => {
        const own = await cp.createTenant();
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) ids.push((await create(WEB_APP, own.slug)).client_id);
        const seen: string[] = [];
        let cursor: string | null = null;
        const sizes: number[] = [];
        do {
          const res = await request(cp.app)
            .get(base(own.slug))
            .query(cursor ? { limit: 2, cursor } : { limit: 2 })
            .set('Authorization', owner())
            .expect(200);
          const page = res.body as { data: ClientBody[]; next_cursor: string | null };
          sizes.push(page.data.length);
          for (const item of page.data) {
            expect(item).not.toHaveProperty('client_secret');
            expect(item).not.toHaveProperty('secret_hash');
          }
          seen.push(...page.data.map((item) => item.client_id));
          cursor = page.next_cursor;
        } while (cursor);
        expect(sizes).toEqual([2, 2, 1]);
        expect([...seen].sort()).toEqual([...ids].sort());
      });

      it.each<[Record<string, string>, number, string]>([
        [{ cursor: 'not-a-cursor' }, 400, 'invalid_cursor'],
        [{ limit: '0' }, 400, 'validation_failed'],
        [{ limit: '101' }, 400, 'validation_failed'],
        [{ sort: 'name' }, 400, 'validation_failed'],
      ])('rejects the query %j', async (query, status, code) => {
        const res = await request(cp.app)
          .get(base())
          .query(query)
          .set('Authorization', owner())
          .expect(status);
        expect(res.body.code).toBe(code);
      });
    });

    describe('authentication and roles', () => {
      it('answers 401 without a token and with a bad one, on every route', async () => {
        const path = `${base()}/hjc_x`;
        const calls = () => [
          request(cp.app).post(base()).send(WEB_APP),
          request(cp.app).get(base()),
          request(cp.app).get(path),
          request(cp.app).patch(path).send({ name: 'x' }),
          request(cp.app).delete(path),
          request(cp.app).post(`${path}/secret`),
        ];
        for (const call of calls()) {
          const res = await call;
          expect([res.status, res.body.code]).toEqual([401, 'unauthenticated']);
        }
        for (const call of calls()) {
          const res = await call.set('Authorization', 'Bearer not.a.token');
          expect([res.status, res.body.code]).toEqual([401, 'invalid_token']);
        }
        expect(await cp.pendingOutbox()).toEqual([]);
      });

      it('lets a viewer read, and answers 403 insufficient_role to each of its writes', async () => {
        const client = await create();
        await cp.takeEvents();
        const path = `${base()}/${client.client_id}`;
        const auth = `Bearer ${viewer}`;
        await request(cp.app).get(base()).set('Authorization', auth).expect(200);
        await request(cp.app).get(path).set('Authorization', auth).expect(200);
        const writes = [
          request(cp.app).post(base()).send(WEB_APP),
          request(cp.app).patch(path).send({ name: 'x' }),
          request(cp.app).delete(path),
          request(cp.app).post(`${path}/secret`),
        ];
        for (const call of writes) {
          const res = await call.set('Authorization', auth);
          expect([res.status, res.body.code]).toEqual([403, 'insufficient_role']);
        }
        expect(await secretHashOf(client.client_id)).toBe(sha256Hex(client.client_secret!));
        expect(await cp.pendingOutbox()).toEqual([]);
      });
    });

    describe('internal read API', () => {
      const internalBase = (ref: string): string => `/internal/v1/tenants/${ref}/clients`;

      it('returns client configs with the secret hash to the internal token only', async () => {
        const own = await cp.createTenant();
        const confidential = await create(WEB_APP, own.slug);
        const pub = await create(NATIVE_APP, own.slug);
        const auth = `Bearer ${cp.deps.config.internalToken}`;

        const one = await request(cp.app)
          .get(`${internalBase(own.id)}/${confidential.client_id}`)
          .set('Authorization', auth)
          .expect(200);
        const { client_secret: secret, ...config } = confidential;
        expect(one.body).toEqual({
          ...config,
          tenant_id: own.id,
          secret_hash: sha256Hex(secret!),
        });
        expect(one.headers['cache-control']).toBe('no-store');

        const list = await request(cp.app)
          .get(internalBase(own.slug))
          .query({ limit: 1 })
          .set('Authorization', auth)
          .expect(200);
        expect(list.body.data).toHaveLength(1);
        const rest = await request(cp.app)
          .get(internalBase(own.slug))
          .query({ limit: 1, cursor: list.body.next_cursor })
          .set('Authorization', auth)
          .expect(200);
        const all = [...list.body.data, ...rest.body.data] as Array<{
          client_id: string;
          secret_hash: string | null;
        }>;
        expect(all.map((c) => [c.client_id, c.secret_hash]).sort()).toEqual(
          [
            [confidential.client_id, sha256Hex(secret!)],
            [pub.client_id, null],
          ].sort(),
        );
        expect(rest.body.next_cursor).toBeNull();
      });

      it('rejects admin tokens and missing tokens, and 404s unknown tenants and clients', async () => {
        const client = await create();
        const paths = [
          internalBase(tenant.slug),
          `${internalBase(tenant.slug)}/${client.client_id}`,
        ];
        for (const path of paths) {
          const asAdmin = await request(cp.app).get(path).set('Authorization', owner());
          expect([asAdmin.status, asAdmin.body.code]).toEqual([401, 'invalid_token']);
          const anonymous = await request(cp.app).get(path);
          expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthenticated']);
        }
        const auth = `Bearer ${cp.deps.config.internalToken}`;
        const noTenant = await request(cp.app)
          .get(internalBase('no-such-tenant'))
          .set('Authorization', auth);
        expect([noTenant.status, noTenant.body.code]).toEqual([404, 'tenant_not_found']);
        const noClient = await request(cp.app)
          .get(`${internalBase(tenant.slug)}/hjc_unknown`)
          .set('Authorization', auth);
        expect([noClient.status, noClient.body.code]).toEqual([404, 'client_not_found']);
      });

      it('lists the public client routes in OpenAPI and never the internal ones', async () => {
        const res = await request(cp.app).get('/openapi.json').expect(200);
        const paths = Object.keys(res.body.paths as Record<string, unknown>);
        expect(paths).toEqual(
          expect.arrayContaining([
            '/v1/tenants/{tenant}/clients',
            '/v1/tenants/{tenant}/clients/{client_id}',
            '/v1/tenants/{tenant}/clients/{client_id}/secret',
          ]),
        );
        expect(paths.filter((path) => path.startsWith('/internal'))).toEqual([]);
      });
    });

    describe('outbox atomicity', () => {
      /** The same database, except that writing an event fails inside every transaction. */
      function withBrokenOutbox(db: GlobalDb): GlobalDb {
        return {
          ...db,
          transaction: (fn) =>
            db.transaction((tx) =>
              fn({
                ...tx,
                outbox: { ...tx.outbox, add: () => Promise.reject(new Error('outbox is down')) },
              }),
            ),
        };
      }

      it('rolls every change back when its event cannot be written', async () => {
        const own = await cp.createTenant();
        const broken = createClientService({
          db: withBrokenOutbox(cp.deps.db),
          onOutboxWrite: () => undefined,
        });
        const input = CreateClientBody.parse({
          name: 'Web app',
          type: 'confidential',
          redirect_uris: WEB_APP.redirect_uris,
          grant_types: ['authorization_code'],
          scopes: ['openid'],
        });
        await expect(broken.create(own.slug, input)).rejects.toThrow('outbox is down');
        expect((await clients.list(own.slug, { limit: 10 })).data).toEqual([]);

        const client = await clients.create(own.slug, input);
        const before = await cp.deps.db.clients.findByClientId(own.id, client.client_id);
        await expect(
          broken.update(own.slug, client.client_id, { name: 'Changed' }),
        ).rejects.toThrow('outbox is down');
        await expect(broken.rotateSecret(own.slug, client.client_id)).rejects.toThrow(
          'outbox is down',
        );
        await expect(broken.remove(own.slug, client.client_id)).rejects.toThrow('outbox is down');
        expect(await cp.deps.db.clients.findByClientId(own.id, client.client_id)).toEqual(before);
      });
    });
  });
}
