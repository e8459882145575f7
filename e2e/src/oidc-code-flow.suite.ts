import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import request from 'supertest';
import {
  createFormBrowser,
  formsOf,
  type BrowserPage,
  type FormBrowser,
} from './support/form-browser';
import {
  oauthFailure,
  plainHttp,
  registerClient,
  slug,
  type Registered,
  type Tenant,
} from './support/oauth';
import type { System } from './support/system';
import { openTenantDatabase } from './support/tenant-db';

interface User {
  id: string;
  email: string;
  password: string;
}

/** One tenant with every kind of client the code flow has, and a user. */
interface World {
  tenant: Tenant;
  /** Confidential, client_secret_basic, first party, refresh tokens. */
  web: Registered;
  /** Confidential, client_secret_post. */
  post: Registered;
  /** Public SPA: PKCE and `none`. */
  spa: Registered;
  /** Confidential, not first party: the consent screen. */
  thirdParty: Registered;
  /** Confidential, ID tokens signed with EdDSA. */
  eddsa: Registered;
  /** Confidential, client_credentials only. */
  machine: Registered;
  user: User;
}

/** An authorization request and the checks its response must pass. */
interface Flow {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

type Tokens = Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;

/** How the relying party authenticates and which ID token signature it expects. */
interface RpOptions {
  auth?: 'basic' | 'post' | 'none';
  alg?: 'RS256' | 'EdDSA';
}

// Nothing listens there: the browser stops at the redirect and hands the URL to the RP.
const PORT = randomInt(40_000, 60_000);
const CALLBACK = `http://127.0.0.1:${PORT}/cb`;
const SIGNED_OUT = `http://127.0.0.1:${PORT}/signed-out`;
const PASSWORD = 'a long enough password';
const ALL_SCOPES = 'openid profile email offline_access';

const sha256hex = (value: string): string => createHash('sha256').update(value).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page, shown whole in a failure message: the exact response the assertion saw. */
function describePage(page: BrowserPage): string {
  const headers = [...page.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${page.status} from ${page.url}\n${headers}\n\n${page.html.slice(0, 1500)}`;
}

/** The redirect to the client (303 on success, RFC 9207 `iss`); fails with the page otherwise. */
function redirectTo(page: BrowserPage, target: string): URL {
  const location = page.headers.get('location');
  if (![302, 303].includes(page.status) || location === null || !location.startsWith(target))
    throw new Error(`expected a redirect to ${target}, got:\n${describePage(page)}`);
  return new URL(location);
}

function expectLoginForm(page: BrowserPage): void {
  const form = formsOf(page.html).find((f) => f.fields.some(([name]) => name === 'csrf'));
  if (page.status !== 200 || !form || !/name=["']?password/.test(page.html))
    throw new Error(`expected the hosted sign-in form, got:\n${describePage(page)}`);
  const names = form.fields.map(([name]) => name);
  expect(names).toEqual(expect.arrayContaining(['tx', 'csrf', 'email']));
}

function expectConsentPage(page: BrowserPage): void {
  if (page.status !== 200 || !/name=["']?decision/.test(page.html))
    throw new Error(`expected the consent page, got:\n${describePage(page)}`);
}

/** OIDC Core §3.1.3.6: the left half of the access token's hash (SHA-512 for Ed25519). */
function atHash(accessToken: string, alg: string): string {
  const digest = createHash(alg === 'RS256' ? 'sha256' : 'sha512')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * OpenID Connect sign-in through the hosted pages, end to end and black box (issue: OIDC code
 * flow): tenants and clients made through the control plane's API, users through the data plane's
 * JSON API; a browser without JavaScript posting the real forms; an independent relying party
 * (openid-client 6, strict: RFC 9207 `iss`, ID token signatures, nonce, azp) doing discovery, the
 * code flow with PKCE, userinfo, refresh, introspection, revocation and RP-initiated logout; and
 * the negative cases of the OpenID Foundation's basic and config plans, with exact errors.
 */
export function oidcCodeFlowSuite(
  name: string,
  start: () => Promise<{ system: System; tenantServerUrl: string }>,
): void {
  describe(name, () => {
    let system: System;
    let tenantServerUrl: string;

    beforeAll(async () => {
      ({ system, tenantServerUrl } = await start());
    });
    afterAll(async () => {
      await system.close();
    });

    async function signUp(tenant: Tenant, prefix = 'ada'): Promise<User> {
      const email = `${prefix}-${randomBytes(3).toString('hex')}@example.com`;
      const res = await request(system.dp.url)
        .post(`/t/${tenant.slug}/v1/auth/sign-up`)
        .send({ email, password: PASSWORD, name: 'Ada Lovelace' })
        .expect(201);
      return { id: (res.body as { user: { id: string } }).user.id, email, password: PASSWORD };
    }

    /** A fresh tenant (each test its own: budgets and sessions stay apart), its clients and a user. */
    async function world(prefix = 'oidc', settings: Record<string, unknown> = {}): Promise<World> {
      const tenant = await system.createTenant(slug(prefix), { settings });
      const browserClient = {
        redirect_uris: [CALLBACK],
        post_logout_redirect_uris: [SIGNED_OUT],
        grant_types: ['authorization_code', 'refresh_token'],
      };
      const confidential = { ...browserClient, type: 'confidential', first_party: true };
      const register = (body: Record<string, unknown>) => registerClient(system, tenant, body);
      const [web, post, spa, thirdParty, eddsa, machine] = await Promise.all([
        register(confidential),
        register({ ...confidential, token_endpoint_auth_method: 'client_secret_post' }),
        register({ ...browserClient, type: 'public', first_party: true }),
        register({ ...confidential, first_party: false, name: 'Third Party App' }),
        register({ ...confidential, id_token_signed_response_alg: 'EdDSA' }),
        register({
          type: 'confidential',
          grant_types: ['client_credentials'],
          scopes: ['reports:read'],
        }),
      ]);
      return { tenant, web, post, spa, thirdParty, eddsa, machine, user: await signUp(tenant) };
    }

    /** openid-client's view of a tenant for one client, with ID token signatures checked. */
    async function rp(
      tenant: Tenant,
      client: Registered,
      options: RpOptions = {},
    ): Promise<oidc.Configuration> {
      const auth = options.auth ?? 'basic';
      const config = await oidc.discovery(
        new URL(tenant.issuer),
        client.client_id,
        { id_token_signed_response_alg: options.alg ?? 'RS256' },
        auth === 'none'
          ? oidc.None()
          : auth === 'post'
            ? oidc.ClientSecretPost(client.client_secret)
            : oidc.ClientSecretBasic(client.client_secret),
        plainHttp,
      );
      oidc.enableNonRepudiationChecks(config);
      return config;
    }

    async function authorizationRequest(
      config: oidc.Configuration,
      params: Record<string, string> = {},
      pkce = true,
    ): Promise<Flow> {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        state,
        nonce,
        ...(pkce
          ? {
              code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
              code_challenge_method: 'S256',
            }
          : {}),
        ...params,
      });
      return { url, verifier, state, nonce };
    }

    /** The hosted sign-in form, filled and posted; returns the redirect to the client. */
    async function signIn(browser: FormBrowser, flow: Flow, user: User): Promise<BrowserPage> {
      const form = await browser.open(flow.url.href, { stopAt: CALLBACK });
      expectLoginForm(form);
      return browser.submit(
        form,
        { email: user.email, password: user.password },
        { stopAt: CALLBACK },
      );
    }

    function exchange(config: oidc.Configuration, page: BrowserPage, flow: Flow): Promise<Tokens> {
      return oidc.authorizationCodeGrant(config, redirectTo(page, CALLBACK), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    }

    /** A fresh browser signed in for `client` (the first one by default); its code not yet redeemed. */
    async function signInTo(
      w: World,
      {
        client = w.web,
        params = {},
        ...options
      }: RpOptions & {
        client?: Registered;
        params?: Record<string, string>;
      } = {},
    ) {
      const browser = createFormBrowser();
      const config = await rp(w.tenant, client, options);
      const flow = await authorizationRequest(config, params);
      const page = await signIn(browser, flow, w.user);
      return { browser, config, flow, page };
    }

    /** A signed-in browser and the first client's tokens. */
    async function signedIn(w: World, params: Record<string, string> = {}) {
      const signed = await signInTo(w, { params });
      return { ...signed, tokens: await exchange(signed.config, signed.page, signed.flow) };
    }

    /** The code a signed-in browser brings back for `flow`, for the raw token requests. */
    async function codeFor(browser: FormBrowser, flow: Flow): Promise<string | null> {
      const page = await browser.open(flow.url.href, { stopAt: CALLBACK });
      return redirectTo(page, CALLBACK).searchParams.get('code');
    }

    /** A token request by hand, for the first client (client_secret_basic). */
    const webTokenRequest = (w: World, body: Record<string, unknown>) =>
      request(system.dp.url)
        .post(`/t/${w.tenant.slug}/oauth2/token`)
        .auth(w.web.client_id, w.web.client_secret ?? '')
        .type('form')
        .send(body);

    /** The redirect an authorization error makes: error, error_description, state and iss. */
    async function authorizeError(
      browser: FormBrowser,
      url: URL | string,
    ): Promise<URLSearchParams> {
      const page = await browser.open(url.toString(), { stopAt: CALLBACK });
      const params = redirectTo(page, CALLBACK).searchParams;
      expect(params.get('code')).toBeNull();
      expect(params.get('error_description')).toEqual(expect.any(String));
      return params;
    }

    async function verifyIdToken(
      tenant: Tenant,
      client: Registered,
      idToken: string,
      alg = 'RS256',
    ) {
      const jwks = createRemoteJWKSet(new URL(`${tenant.issuer}/.well-known/jwks.json`));
      return jwtVerify(idToken, jwks, {
        issuer: tenant.issuer,
        audience: client.client_id,
        algorithms: [alg],
        typ: 'JWT',
      });
    }

    const userinfo = (tenant: Tenant) => request(system.dp.url).get(`/t/${tenant.slug}/userinfo`);

    it('is discovered truthfully for each tenant', async () => {
      const [a, b] = await Promise.all([world('disc-a'), world('disc-b')]);
      for (const w of [a, b]) {
        const config = await rp(w.tenant, w.web);
        const issuer = w.tenant.issuer;
        expect(config.serverMetadata()).toMatchObject({
          issuer,
          authorization_endpoint: `${issuer}/oauth2/authorize`,
          token_endpoint: `${issuer}/oauth2/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          end_session_endpoint: `${issuer}/oauth2/end-session`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          introspection_endpoint: `${issuer}/oauth2/introspect`,
          revocation_endpoint: `${issuer}/oauth2/revoke`,
          response_types_supported: ['code'],
          response_modes_supported: ['query', 'form_post'],
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: true,
          id_token_signing_alg_values_supported: ['RS256', 'EdDSA', 'ES256'],
          subject_types_supported: ['public'],
          claims_parameter_supported: false,
          request_parameter_supported: false,
          request_uri_parameter_supported: false,
          grant_types_supported: expect.arrayContaining([
            'authorization_code',
            'refresh_token',
            'client_credentials',
          ]),
          token_endpoint_auth_methods_supported: expect.arrayContaining([
            'client_secret_basic',
            'client_secret_post',
            'none',
          ]),
          scopes_supported: expect.arrayContaining([
            'openid',
            'profile',
            'email',
            'offline_access',
          ]),
          claims_supported: expect.arrayContaining(['sub', 'iss', 'aud', 'email', 'auth_time']),
          prompt_values_supported: expect.arrayContaining(['none', 'login', 'consent']),
        });
        expect(config.serverMetadata().userinfo_signing_alg_values_supported).toBeUndefined();
      }
      expect(a.tenant.issuer).not.toBe(b.tenant.issuer);
    });

    it('signs in with code + PKCE through the hosted form, with a complete RS256 ID token', async () => {
      const w = await world();
      const browser = createFormBrowser();
      const config = await rp(w.tenant, w.web);
      const flow = await authorizationRequest(config, { scope: 'openid profile email' });
      const form = await browser.open(flow.url.href, { stopAt: CALLBACK });
      expectLoginForm(form);
      expect(new URL(form.url).pathname).toBe(`/t/${w.tenant.slug}/login`);
      const page = await browser.submit(
        form,
        { email: w.user.email, password: w.user.password },
        { stopAt: CALLBACK },
      );
      // The credential POST answers 303 (never 307, which would re-post the password).
      expect(page.status).toBe(303);
      const callback = redirectTo(page, CALLBACK);
      expect(callback.searchParams.get('state')).toBe(flow.state);
      expect(callback.searchParams.get('iss')).toBe(w.tenant.issuer);
      expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The SSO cookie, scoped to the tenant on http.
      const session = browser.cookies(`${w.tenant.issuer}/oauth2/authorize`);
      expect(session.some((c) => c.startsWith('hj_session='))).toBe(true);
      expect(browser.cookies(`${system.dp.url}/t/another-tenant/login`)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^hj_session=/)]),
      );

      const tokens = await exchange(config, page, flow);
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
      expect(tokens.refresh_token).toBeUndefined(); // no offline_access asked
      const { payload, protectedHeader } = await verifyIdToken(
        w.tenant,
        w.web,
        tokens.id_token ?? '',
      );
      expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
      expect(payload).toMatchObject({
        iss: w.tenant.issuer,
        sub: w.user.id,
        aud: w.web.client_id,
        azp: w.web.client_id,
        nonce: flow.nonce,
        at_hash: atHash(tokens.access_token, 'RS256'),
        amr: ['pwd'],
        sid: expect.any(String),
        email: w.user.email,
        email_verified: expect.any(Boolean),
        name: 'Ada Lovelace',
      });
      expect(payload.exp).toBeGreaterThan(payload.iat ?? Infinity);
      expect(payload.auth_time).toEqual(expect.any(Number));
      expect(payload.auth_time).toBeLessThanOrEqual(payload.iat ?? 0);
      expect(tokens.claims()?.sub).toBe(w.user.id);

      // The access token: an RFC 9068 at+jwt for the tenant, its sid the client session.
      const jwks = createRemoteJWKSet(new URL(`${w.tenant.issuer}/.well-known/jwks.json`));
      const access = await jwtVerify(tokens.access_token, jwks, {
        issuer: w.tenant.issuer,
        audience: w.tenant.issuer,
        typ: 'at+jwt',
        algorithms: ['EdDSA'],
      });
      expect(access.payload).toMatchObject({
        sub: w.user.id,
        client_id: w.web.client_id,
        sid: expect.any(String),
      });
      expect(access.payload.sid).not.toBe(payload.sid);
    });

    it('signs ID tokens with EdDSA for a client registered so', async () => {
      const w = await world();
      const { config, flow, page } = await signInTo(w, { client: w.eddsa, alg: 'EdDSA' });
      const tokens = await exchange(config, page, flow);
      const { payload, protectedHeader } = await verifyIdToken(
        w.tenant,
        w.eddsa,
        tokens.id_token ?? '',
        'EdDSA',
      );
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
      expect(payload).toMatchObject({
        sub: w.user.id,
        aud: w.eddsa.client_id,
        nonce: flow.nonce,
        at_hash: atHash(tokens.access_token, 'EdDSA'),
      });
    });

    it('serves userinfo by GET and POST, its claims by scope', async () => {
      const w = await world();
      const { browser, config, tokens } = await signedIn(w, { scope: 'openid email' });
      const sub = tokens.claims()?.sub ?? '';
      const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      expect(info).toMatchObject({ sub: w.user.id, email: w.user.email, email_verified: false });
      expect(info.name).toBeUndefined(); // no profile scope

      const bearer = `Bearer ${tokens.access_token}`;
      const posted = await request(system.dp.url)
        .post(`/t/${w.tenant.slug}/userinfo`)
        .set('Authorization', bearer)
        .expect(200);
      expect(posted.body).toEqual(info);
      const form = await request(system.dp.url)
        .post(`/t/${w.tenant.slug}/userinfo`)
        .type('form')
        .send({ access_token: tokens.access_token })
        .expect(200);
      expect(form.body).toEqual(info);

      // openid alone: sub and nothing else of the user's.
      const bare = await authorizationRequest(config, { scope: 'openid' });
      const page = await browser.open(bare.url.href, { stopAt: CALLBACK });
      const openidOnly = await exchange(config, page, bare);
      const minimal = await oidc.fetchUserInfo(config, openidOnly.access_token, sub);
      expect(minimal.sub).toBe(w.user.id);
      expect(minimal.email).toBeUndefined();
      expect(minimal.name).toBeUndefined();

      const none = await userinfo(w.tenant).expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      const garbage = await userinfo(w.tenant).set('Authorization', 'Bearer garbage').expect(401);
      expect(garbage.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    });

    it('refreshes: a new ID token with the same sub/aud/auth_time, no nonce; a replay kills the family', async () => {
      // Without the reuse interval (a spent token answering its successor for a few seconds, for
      // racing tabs), so that the replay below is a replay.
      const w = await world('refresh', { refresh_reuse_interval: 0 });
      const { tokens } = await signedIn(w, { scope: ALL_SCOPES });
      const config = await rp(w.tenant, w.web);
      const first = tokens.claims();
      const rt1 = tokens.refresh_token ?? '';
      expect(rt1).not.toBe('');
      const refreshed = await oidc.refreshTokenGrant(config, rt1);
      const rt2 = refreshed.refresh_token ?? '';
      expect(rt2).not.toBe(rt1);
      const { payload } = await verifyIdToken(w.tenant, w.web, refreshed.id_token ?? '');
      expect(payload).toMatchObject({
        sub: first?.sub,
        aud: w.web.client_id,
        azp: w.web.client_id,
        auth_time: first?.auth_time,
      });
      expect(payload.nonce).toBeUndefined();
      expect(payload.iat).toBeGreaterThanOrEqual(first?.iat ?? Infinity);
      await oidc.fetchUserInfo(config, refreshed.access_token, first?.sub ?? '');

      // Reuse of the rotated token: invalid_grant, and the whole family with it.
      expect(await oauthFailure(oidc.refreshTokenGrant(config, rt1))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      expect(await oauthFailure(oidc.refreshTokenGrant(config, rt2))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
    });

    it('refreshes with a narrower scope, never a wider one, and only for its own client', async () => {
      const w = await world();
      const { tokens } = await signedIn(w, { scope: 'openid email offline_access' });
      const config = await rp(w.tenant, w.web);
      const otherClient = await rp(w.tenant, w.post, { auth: 'post' });
      expect(
        await oauthFailure(oidc.refreshTokenGrant(otherClient, tokens.refresh_token ?? '')),
      ).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      const narrowed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', {
        scope: 'openid offline_access',
      });
      expect(narrowed.scope?.split(' ').sort()).toEqual(['offline_access', 'openid']);
      expect(narrowed.id_token).toEqual(expect.any(String));
      const rt = narrowed.refresh_token ?? '';
      // `profile` was never granted (RFC 6749 §6); the refused request spends nothing.
      expect(
        await oauthFailure(oidc.refreshTokenGrant(config, rt, { scope: 'openid profile' })),
      ).toEqual({ status: 400, error: 'invalid_scope' });
      // The narrowing held for one response: the grant is still the original one.
      const whole = await oidc.refreshTokenGrant(config, rt);
      expect(whole.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid']);
    });

    it('introspects user tokens for the tenant only, and revokes them', async () => {
      const [a, b] = await Promise.all([world('intro-a'), world('intro-b')]);
      const { tokens } = await signedIn(a, { scope: ALL_SCOPES });
      const config = await rp(a.tenant, a.web);
      const active = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(active).toMatchObject({
        active: true,
        client_id: a.web.client_id,
        sub: a.user.id,
        iss: a.tenant.issuer,
      });
      expect(active.scope?.split(' ').sort()).toEqual(ALL_SCOPES.split(' ').sort());
      // Tenant B knows nothing of A's token, at introspection and at userinfo.
      const atB = await oidc.tokenIntrospection(await rp(b.tenant, b.web), tokens.access_token);
      expect(atB).toEqual({ active: false });
      const userinfoAtB = await userinfo(b.tenant)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(401);
      expect(userinfoAtB.headers['www-authenticate']).toMatch(/error="invalid_token"/);

      await oidc.tokenRevocation(config, tokens.refresh_token ?? '');
      expect(
        await oauthFailure(oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')),
      ).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      await oidc.tokenRevocation(config, tokens.access_token);
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    });

    it('still serves client credentials beside the user grants', async () => {
      const w = await world();
      const tokens = await oidc.clientCredentialsGrant(await rp(w.tenant, w.machine), {
        scope: 'reports:read',
      });
      expect(tokens.scope).toBe('reports:read');
      expect(tokens.id_token).toBeUndefined();
      expect(tokens.refresh_token).toBeUndefined();
    });

    it('authenticates each client with its registered method only (client_secret_post)', async () => {
      const w = await world();
      const { config, flow, page } = await signInTo(w, { client: w.post, auth: 'post' });
      // Basic for a client registered for client_secret_post: 401, the code stays unused.
      const basic = await rp(w.tenant, w.post, { auth: 'basic' });
      expect(await oauthFailure(exchange(basic, page, flow))).toEqual({
        status: 401,
        error: 'invalid_client',
      });
      const tokens = await exchange(config, page, flow);
      expect(tokens.claims()?.aud).toBe(w.post.client_id);
    });

    it('signs a second client in by SSO, without the password form', async () => {
      const w = await world();
      const { browser, tokens } = await signedIn(w);
      const spa = await rp(w.tenant, w.spa, { auth: 'none' });
      const flow = await authorizationRequest(spa);
      const page = await browser.open(flow.url.href, { stopAt: CALLBACK });
      // Straight from the authorization endpoint to the client: no page in between.
      expect(new URL(page.url).pathname).toBe(`/t/${w.tenant.slug}/oauth2/authorize`);
      expect(page.status).toBe(303);
      const spaTokens = await exchange(spa, page, flow);
      expect(spaTokens.refresh_token).toBeUndefined();
      const first = tokens.claims();
      const second = spaTokens.claims();
      expect(second).toMatchObject({
        sub: first?.sub,
        aud: w.spa.client_id,
        auth_time: first?.auth_time,
        sid: first?.sid,
      });
    });

    it('asks a third-party client consent once; Deny answers access_denied', async () => {
      const w = await world();
      const {
        browser,
        config,
        flow,
        page: consent,
      } = await signInTo(w, { client: w.thirdParty, params: { scope: 'openid email' } });
      expectConsentPage(consent);
      expect(consent.html).toContain('Third Party App');
      const allowed = await browser.submit(
        consent,
        {},
        { button: { name: 'decision', value: 'allow' }, stopAt: CALLBACK },
      );
      const tokens = await exchange(config, allowed, flow);
      expect(tokens.claims()?.sub).toBe(w.user.id);

      // Remembered: the same scope again goes straight to the client.
      const again = await authorizationRequest(config, { scope: 'openid email' });
      const page = await browser.open(again.url.href, { stopAt: CALLBACK });
      await exchange(config, page, again);

      // prompt=consent asks again; Deny.
      const forced = await authorizationRequest(config, { prompt: 'consent' });
      const asked = await browser.open(forced.url.href, { stopAt: CALLBACK });
      expectConsentPage(asked);
      const denied = await browser.submit(
        asked,
        {},
        { button: { name: 'decision', value: 'deny' }, stopAt: CALLBACK },
      );
      const params = redirectTo(denied, CALLBACK).searchParams;
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe(forced.state);
      expect(params.get('iss')).toBe(w.tenant.issuer);
      expect(await oauthFailure(exchange(config, denied, forced))).toEqual({
        status: 0,
        error: 'access_denied',
      });
    });

    it('answers by form_post when asked, a form a browser without script can post', async () => {
      const w = await world();
      const { browser, config } = await signedIn(w);
      const flow = await authorizationRequest(config, { response_mode: 'form_post' });
      const page = await browser.open(flow.url.href, { stopAt: CALLBACK });
      const form = formsOf(page.html).find((f) => f.action === CALLBACK);
      if (page.status !== 200 || !form)
        throw new Error(`expected a form posting to ${CALLBACK}, got:\n${describePage(page)}`);
      expect(form.method).toBe('post');
      const fields = new URLSearchParams(form.fields);
      expect(fields.get('state')).toBe(flow.state);
      expect(fields.get('iss')).toBe(w.tenant.issuer);
      // What the browser would post to the client's callback, handed to the RP as that request.
      const posted = new Request(CALLBACK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
      const tokens = await oidc.authorizationCodeGrant(config, posted, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()?.sub).toBe(w.user.id);
    });

    it('refuses a sign-in form posted from another site', async () => {
      const w = await world();
      const browser = createFormBrowser();
      const config = await rp(w.tenant, w.web);
      const flow = await authorizationRequest(config);
      const page = await browser.open(flow.url.href, { stopAt: CALLBACK });
      expectLoginForm(page);
      const [form] = formsOf(page.html);
      const body = new URLSearchParams(form?.fields);
      body.set('email', w.user.email);
      body.set('password', w.user.password);
      const res = await fetch(new URL(form?.action ?? '', page.url), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: browser.cookies(page.url).join('; '),
          origin: 'https://evil.example',
        },
        body,
      });
      expect({ status: res.status, location: res.headers.get('location') }).toEqual({
        status: 403,
        location: null,
      });
    });

    it('forces the form for max_age=0 despite a session', async () => {
      const w = await world();
      const { browser, config } = await signedIn(w);
      const flow = await authorizationRequest(config, { max_age: '0' });
      const page = await signIn(browser, flow, w.user);
      const tokens = await oidc.authorizationCodeGrant(config, redirectTo(page, CALLBACK), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        maxAge: 0,
      });
      expect(tokens.claims()?.auth_time).toEqual(expect.any(Number));
    });

    it('is plain OAuth without openid: no ID token, and userinfo answers insufficient_scope', async () => {
      const w = await world();
      const { browser, config } = await signedIn(w);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'email',
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const page = await browser.open(url.href, { stopAt: CALLBACK });
      const tokens = await oidc.authorizationCodeGrant(config, redirectTo(page, CALLBACK), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      expect(tokens.id_token).toBeUndefined();
      expect(tokens.scope).toBe('email');
      const res = await userinfo(w.tenant)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(403);
      expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    });

    it('answers prompt=none with consent_required when consent would be asked', async () => {
      const w = await world();
      const { browser } = await signedIn(w); // a session, through a first-party client
      const config = await rp(w.tenant, w.thirdParty);
      const flow = await authorizationRequest(config, { prompt: 'none' });
      const params = await authorizeError(browser, flow.url);
      expect(params.get('error')).toBe('consent_required');
      expect(params.get('state')).toBe(flow.state);
    });

    it('answers prompt=none without a session with login_required', async () => {
      const w = await world();
      const config = await rp(w.tenant, w.web);
      const flow = await authorizationRequest(config, { prompt: 'none' });
      const params = await authorizeError(createFormBrowser(), flow.url);
      expect(params.get('error')).toBe('login_required');
      expect(params.get('state')).toBe(flow.state);
      expect(params.get('iss')).toBe(w.tenant.issuer);
    });

    it('forces the form again for prompt=login, with a later auth_time', async () => {
      const w = await world();
      const { browser, config, tokens } = await signedIn(w);
      // auth_time has a resolution of one second.
      await sleep(1100);
      const flow = await authorizationRequest(config, { prompt: 'login' });
      const page = await signIn(browser, flow, w.user);
      const again = await exchange(config, page, flow);
      expect(again.claims()?.auth_time).toBeGreaterThan(tokens.claims()?.auth_time ?? Infinity);
    });

    it('logs out by RP-initiated logout, back to the client with its state', async () => {
      const w = await world();
      const { browser, config, tokens } = await signedIn(w);
      const state = oidc.randomState();
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? '',
        post_logout_redirect_uri: SIGNED_OUT,
        state,
      });
      const page = await browser.open(url.href, { stopAt: SIGNED_OUT });
      const back = redirectTo(page, SIGNED_OUT);
      expect(page.status).toBe(303);
      expect(`${back.origin}${back.pathname}`).toBe(SIGNED_OUT);
      expect(back.searchParams.get('state')).toBe(state);
      expect(browser.cookies(`${w.tenant.issuer}/oauth2/authorize`)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^hj_session=/)]),
      );
      // The browser session is gone, and the client sessions issued under it.
      const flow = await authorizationRequest(config, { prompt: 'none' });
      expect((await authorizeError(browser, flow.url)).get('error')).toBe('login_required');
      const denied = await userinfo(w.tenant)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(401);
      expect(denied.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });

    it('never sends the browser to an unregistered post_logout_redirect_uri', async () => {
      const w = await world();
      const { browser, config, tokens } = await signedIn(w);
      for (const target of ['https://evil.example/out', `${SIGNED_OUT}/other`]) {
        const url = oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: target,
          state: 'x',
        });
        const page = await browser.open(url.href, { stopAt: target });
        const location = page.headers.get('location') ?? '';
        if (page.status >= 500 || location.startsWith(target))
          throw new Error(`expected no redirect to ${target}, got:\n${describePage(page)}`);
      }
    });

    it('refuses a reused code with invalid_grant and revokes what the first use issued', async () => {
      const w = await world();
      const { config, flow, page } = await signInTo(w);
      const tokens = await exchange(config, page, flow);
      await oidc.fetchUserInfo(config, tokens.access_token, w.user.id);
      expect(await oauthFailure(exchange(config, page, flow))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      const res = await userinfo(w.tenant)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(401);
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });

    it('refuses a wrong code_verifier, a missing one and a wrong client with invalid_grant', async () => {
      const w = await world();
      const { browser, config, flow: wrong, page } = await signInTo(w);
      expect(
        await oauthFailure(
          exchange(config, page, { ...wrong, verifier: oidc.randomPKCECodeVerifier() }),
        ),
      ).toEqual({ status: 400, error: 'invalid_grant' });

      const code = await codeFor(browser, await authorizationRequest(config));
      const res = await webTokenRequest(w, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
      }).expect(400);
      expect(res.body.error).toBe('invalid_grant');

      // A code is the client's it was issued to, and for its redirect_uri exactly.
      const other = await authorizationRequest(config);
      const otherPage = await browser.open(other.url.href, { stopAt: CALLBACK });
      const post = await rp(w.tenant, w.post, { auth: 'post' });
      expect(await oauthFailure(exchange(post, otherPage, other))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      const elsewhere = await authorizationRequest(config);
      const mismatch = await webTokenRequest(w, {
        grant_type: 'authorization_code',
        code: await codeFor(browser, elsewhere),
        code_verifier: elsewhere.verifier,
        redirect_uri: `${CALLBACK}/other`,
      }).expect(400);
      expect(mismatch.body.error).toBe('invalid_grant');
    });

    it('lets a confidential client go without PKCE, but not send a verifier for no challenge', async () => {
      const w = await world();
      const { browser, config } = await signedIn(w);
      const plain = await authorizationRequest(config, {}, false);
      const page = await browser.open(plain.url.href, { stopAt: CALLBACK });
      const tokens = await oidc.authorizationCodeGrant(config, redirectTo(page, CALLBACK), {
        expectedState: plain.state,
        expectedNonce: plain.nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()?.sub).toBe(w.user.id);

      const code = await codeFor(browser, await authorizationRequest(config, {}, false));
      const res = await webTokenRequest(w, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: oidc.randomPKCECodeVerifier(),
      }).expect(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('accepts another port on a loopback redirect_uri (RFC 8252 §7.3)', async () => {
      const w = await world();
      const { browser, config } = await signedIn(w);
      const elsewhere = `http://127.0.0.1:${PORT === 60_000 ? 40_000 : PORT + 1}/cb`;
      const flow = await authorizationRequest(config, { redirect_uri: elsewhere });
      const page = await browser.open(flow.url.href, { stopAt: elsewhere });
      const tokens = await oidc.authorizationCodeGrant(config, redirectTo(page, elsewhere), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()?.sub).toBe(w.user.id);
    });

    it('refuses a public client without PKCE, and plain PKCE, by redirect', async () => {
      const w = await world();
      const spa = await rp(w.tenant, w.spa, { auth: 'none' });
      const browser = createFormBrowser();
      const flow = await authorizationRequest(spa, {}, false);
      const params = await authorizeError(browser, flow.url);
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('state')).toBe(flow.state);
      expect(params.get('iss')).toBe(w.tenant.issuer);
      const plain = await authorizationRequest(spa, {
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
      });
      expect((await authorizeError(browser, plain.url)).get('error')).toBe('invalid_request');
    });

    it('answers an unregistered redirect_uri or an unknown client with a 400 page, never a redirect', async () => {
      const w = await world();
      const config = await rp(w.tenant, w.web);
      const browser = createFormBrowser();
      const cases = [
        (await authorizationRequest(config, { redirect_uri: 'https://evil.example/cb' })).url,
        (await authorizationRequest(config, { redirect_uri: `${CALLBACK}/other` })).url,
        (await authorizationRequest(config, { client_id: 'hjc_unknown' })).url,
      ];
      const missing = (await authorizationRequest(config)).url;
      missing.searchParams.delete('redirect_uri');
      cases.push(missing);
      for (const url of cases) {
        const page = await browser.open(url.href, { stopAt: 'https://evil.example' });
        if (page.status !== 400 || page.headers.get('location') !== null)
          throw new Error(`expected a 400 page for ${url.href}, got:\n${describePage(page)}`);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      }
    });

    it('refuses a wrong client secret with 401 invalid_client', async () => {
      const w = await world();
      const { flow, page } = await signInTo(w);
      const wrong = await rp(w.tenant, { client_id: w.web.client_id, client_secret: 'hjcs_wrong' });
      expect(await oauthFailure(exchange(wrong, page, flow))).toEqual({
        status: 401,
        error: 'invalid_client',
      });
    });

    it('refuses an expired code with invalid_grant', async () => {
      const w = await world();
      const { config, flow, page } = await signInTo(w);
      const code = redirectTo(page, CALLBACK).searchParams.get('code') ?? '';
      // Codes live 60 s; rather than wait, age this one in the tenant's own database.
      const db: Knex = openTenantDatabase(tenantServerUrl, w.tenant.id);
      try {
        const updated = await db('oauth_authorization_codes')
          .where({ code_hash: sha256hex(code) })
          .update({ expires_at: new Date(Date.now() - 1000) });
        expect(updated).toBe(1);
      } finally {
        await db.destroy();
      }
      expect(await oauthFailure(exchange(config, page, flow))).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
    });

    it('rejects an ID token whose nonce is not the one sent', async () => {
      const w = await world();
      const { config, flow, page } = await signInTo(w);
      await expect(
        exchange(config, page, { ...flow, nonce: oidc.randomNonce() }),
      ).rejects.toMatchObject({
        code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
        // openid-client wraps oauth4webapi's error, which names the claim.
        cause: { cause: { claim: 'nonce' } },
      });
    });

    it('ignores unknown parameters', async () => {
      const w = await world();
      const { tokens } = await signedIn(w, {
        frobnicate: 'yes',
        display: 'page',
        ui_locales: 'en',
      });
      expect(decodeJwt(tokens.id_token ?? '').sub).toBe(w.user.id);
    });

    it('redirects request, request_uri and response_type=token with their errors', async () => {
      const w = await world();
      const config = await rp(w.tenant, w.web);
      const browser = createFormBrowser();
      const expected: [Record<string, string>, string][] = [
        [{ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
        [{ request_uri: 'urn:example:request' }, 'request_uri_not_supported'],
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ scope: 'openid admin:everything' }, 'invalid_scope'],
      ];
      for (const [params, error] of expected) {
        const flow = await authorizationRequest(config, params);
        const answer = await authorizeError(browser, flow.url);
        expect({ params, error: answer.get('error') }).toEqual({ params, error });
        expect(answer.get('state')).toBe(flow.state);
        expect(answer.get('iss')).toBe(w.tenant.issuer);
      }
    });
  });
}
