import { createHash, randomBytes } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { decodeJwt } from 'jose';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { policyOf } from '../src/tenancy/tenant-config';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { createSoftAuthenticator, type SoftAuthenticator } from './support/soft-authenticator';

jest.setTimeout(60_000);

/**
 * Passkeys through the JSON API (docs/mfa.md, "Passkeys"), with a software authenticator that
 * signs real ES256 assertions: registration, passwordless sign-in, the refusals (origin, replay,
 * cloned counter, another tenant's passkey, a disabled account) and the second-factor verifier.
 */
describe('passkeys (WebAuthn)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let other: TestTenant;
  let api: TenantApi;
  let otherApi: TenantApi;
  let origin: string;
  const db = (tenant: TestTenant): TenantDb =>
    system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('passkeys');
    other = await system.createTenant('passkeys-other');
    api = tenantApi(system.dp.url, main);
    otherApi = tenantApi(system.dp.url, other);
    origin = new URL(system.dp.deps.config.publicUrl).origin;
  });
  afterAll(async () => {
    await system.close();
  });

  async function registrationOptions(
    token: string,
    client = api,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const res = await client
      .post('/v1/mfa/webauthn/registration/options', { password: PASSWORD }, token)
      .expect(200);
    return res.body as PublicKeyCredentialCreationOptionsJSON;
  }

  async function signInOptions(client = api, email?: string) {
    const res = await client
      .post('/v1/auth/passkey/options', email === undefined ? {} : { email })
      .expect(200);
    return res.body as PublicKeyCredentialRequestOptionsJSON;
  }

  /** A new user with one registered passkey on a fresh authenticator. */
  async function userWithPasskey(prefix: string, client = api) {
    const user = await client.newUser(prefix);
    const authenticator = createSoftAuthenticator({ origin });
    const { json } = authenticator.register(
      await registrationOptions(user.tokens.access_token, client),
    );
    const res = await client
      .post('/v1/mfa/webauthn/registration', { response: json }, user.tokens.access_token)
      .expect(201);
    return { user, authenticator, factorId: res.body.factor_id as string };
  }

  /** A passwordless sign-in: options, then the authenticator's answer (the response). */
  async function signInWith(authenticator: SoftAuthenticator, client = api) {
    const options = await signInOptions(client);
    const res = await client.post('/v1/auth/passkey', { response: authenticator.assert(options) });
    return res;
  }

  async function auditOf(tenant: TestTenant, userId: string): Promise<string[]> {
    const page = await db(tenant).auditLog.list({ limit: 100, userId });
    return page.rows.map(
      (row) => `${row.action}:${row.outcome}:${JSON.stringify(row.details['reason'] ?? '')}`,
    );
  }

  it('registers two named passkeys for one user and signs in with each', async () => {
    const user = await api.newUser('two');
    const token = user.tokens.access_token;
    const phone = createSoftAuthenticator({ origin });
    const key = createSoftAuthenticator({ origin });

    const first = await registrationOptions(token);
    expect(first.rp).toEqual({ id: new URL(origin).hostname, name: main.slug });
    expect(first.user.id).toBe(Buffer.from(user.id.replace(/-/g, ''), 'hex').toString('base64url'));
    expect(first.user.name).toBe(user.email);
    expect(first.attestation).toBe('none');
    expect(first.authenticatorSelection).toMatchObject({
      residentKey: 'preferred',
      userVerification: 'preferred',
    });
    expect(first.pubKeyCredParams.map((p) => p.alg)).toEqual([-8, -7, -257]);
    expect(first.excludeCredentials).toEqual([]);
    const one = await api
      .post('/v1/mfa/webauthn/registration', { response: phone.register(first).json }, token)
      .expect(201);
    expect(one.body).toMatchObject({
      type: 'webauthn',
      name: 'Passkey 1',
      backup_eligible: true,
      backup_state: true,
      transports: ['internal', 'hybrid'],
    });

    const second = await registrationOptions(token);
    expect(second.excludeCredentials?.map((c) => c.id)).toEqual([
      phone.credentials[0]?.id.toString('base64url'),
    ]);
    const two = await api
      .post(
        '/v1/mfa/webauthn/registration',
        { response: key.register(second, { backupEligible: false }).json, name: 'Desk key' },
        token,
      )
      .expect(201);
    expect(two.body).toMatchObject({ name: 'Desk key', backup_eligible: false });

    const stored = await db(main).mfaFactors.listByUser(user.id, { type: 'webauthn' });
    expect(stored.map((f) => f.name)).toEqual(['Passkey 1', 'Desk key']);
    expect(stored.every((f) => f.confirmedAt !== null)).toBe(true);
    const renamed = await api
      .patch(`/v1/mfa/factors/${String(one.body.factor_id)}`, { name: 'Phone' }, token)
      .expect(200);
    expect(renamed.body).toEqual({
      factor_id: one.body.factor_id,
      type: 'webauthn',
      name: 'Phone',
    });

    for (const authenticator of [phone, key]) {
      const res = await signInWith(authenticator);
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
      const claims = decodeJwt(res.body.access_token as string);
      expect(claims.sub).toBe(user.id);
      expect(claims['amr']).toEqual(['hwk', 'user', 'mfa']);
      await api.get('/v1/me', res.body.access_token as string).expect(200);
    }
    const log = await auditOf(main, user.id);
    expect(log.filter((entry) => entry.startsWith('mfa.enrolled:success'))).toHaveLength(2);
    expect(log.filter((entry) => entry.startsWith('user.signed_in:success'))).toHaveLength(2);
  });

  it('answers the same sign-in options for any email, with no credentials listed', async () => {
    const { user } = await userWithPasskey('enum');
    const known = await signInOptions(api, user.email);
    const unknown = await signInOptions(api, 'nobody-here@example.com');
    for (const options of [known, unknown]) {
      expect(options.allowCredentials).toEqual([]);
      expect(options.userVerification).toBe('required');
      expect(options.rpId).toBe(new URL(origin).hostname);
    }
    expect(known.challenge).not.toBe(unknown.challenge);
  });

  it('refuses a registration or an assertion made for another origin', async () => {
    const user = await api.newUser('origin');
    const authenticator = createSoftAuthenticator({ origin: 'https://evil.example' });
    const options = await registrationOptions(user.tokens.access_token);
    const refused = await api
      .post(
        '/v1/mfa/webauthn/registration',
        { response: authenticator.register(options).json },
        user.tokens.access_token,
      )
      .expect(400);
    expect(refused.body.code).toBe('passkey_registration_failed');

    const { authenticator: good } = await userWithPasskey('origin-good');
    const res = await api.post('/v1/auth/passkey', {
      response: good.assert(await signInOptions(), { origin: 'https://evil.example' }),
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_passkey');
  });

  it('refuses a replayed assertion and a replayed registration (single-use challenges)', async () => {
    const { user, authenticator } = await userWithPasskey('replay');
    const assertion = authenticator.assert(await signInOptions());
    await api.post('/v1/auth/passkey', { response: assertion }).expect(200);
    const again = await api.post('/v1/auth/passkey', { response: assertion });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('invalid_passkey');
    expect(await auditOf(main, user.id)).toContain('user.signed_in:failure:"unknown_challenge"');

    // A registration challenge is spent once too, even by a refused answer.
    const options = await registrationOptions(user.tokens.access_token);
    const fresh = createSoftAuthenticator({ origin });
    const wrong = fresh.register(options, { origin: 'https://evil.example' }).json;
    await api
      .post('/v1/mfa/webauthn/registration', { response: wrong }, user.tokens.access_token)
      .expect(400);
    const right = fresh.register(options).json;
    await api
      .post('/v1/mfa/webauthn/registration', { response: right }, user.tokens.access_token)
      .expect(400);
  });

  it('refuses a challenge issued for another purpose or another user', async () => {
    const { authenticator } = await userWithPasskey('purpose');
    // Registration options carry a registration challenge; it cannot sign a sign-in.
    const someone = await api.newUser('purpose-other');
    const creation = await registrationOptions(someone.tokens.access_token);
    const res = await api.post('/v1/auth/passkey', {
      response: authenticator.assert({ challenge: creation.challenge, rpId: creation.rp.id }),
    });
    expect(res.status).toBe(401);

    // A registration answered by another user's bearer: the challenge is the first user's.
    const alice = await api.newUser('alice');
    const bob = await api.newUser('bob');
    const aliceOptions = await registrationOptions(alice.tokens.access_token);
    const mallory = createSoftAuthenticator({ origin });
    await api
      .post(
        '/v1/mfa/webauthn/registration',
        { response: mallory.register(aliceOptions).json },
        bob.tokens.access_token,
      )
      .expect(400);
  });

  it('refuses a signature counter that does not grow (a cloned authenticator) and audits it', async () => {
    const { user, authenticator } = await userWithPasskey('clone');
    expect((await signInWith(authenticator)).status).toBe(200); // counter 1
    expect((await signInWith(authenticator)).status).toBe(200); // counter 2
    const cloned = await api.post('/v1/auth/passkey', {
      response: authenticator.assert(await signInOptions(), { signCount: 2 }),
    });
    expect(cloned.status).toBe(401);
    expect(cloned.body.code).toBe('invalid_passkey');
    expect(await auditOf(main, user.id)).toContain(
      'user.signed_in:failure:"sign_count_regression"',
    );
    const [factor] = await db(main).mfaFactors.listByUser(user.id, { type: 'webauthn' });
    expect(factor?.signCount).toBe(2);
    // The genuine authenticator, whose counter moved on, still works.
    expect((await signInWith(authenticator)).status).toBe(200);
  });

  it("refuses another tenant's passkey", async () => {
    const { authenticator } = await userWithPasskey('tenant');
    const res = await signInWith(authenticator, otherApi);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_passkey');
    // And a passkey of the other tenant is unknown here.
    const { authenticator: theirs } = await userWithPasskey('tenant-b', otherApi);
    expect((await signInWith(theirs)).status).toBe(401);
  });

  it('refuses a disabled account and a passkey without user verification', async () => {
    const { user, authenticator } = await userWithPasskey('disabled');
    const unverified = await api.post('/v1/auth/passkey', {
      response: authenticator.assert(await signInOptions(), { userVerified: false }),
    });
    expect(unverified.status).toBe(401);
    await db(main).users.update(user.id, { status: 'disabled' });
    const res = await signInWith(authenticator);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_passkey');
    expect(await auditOf(main, user.id)).toContain('user.signed_in:failure:"user_disabled"');
  });

  it('clears expired challenges as new ones are issued', async () => {
    const hashes = Array.from({ length: 3 }, () =>
      createHash('sha256').update(randomBytes(32)).digest('hex'),
    );
    for (const challengeHash of hashes) {
      await db(main).webauthnChallenges.create({
        purpose: 'authentication',
        challengeHash,
        expiresAt: new Date(Date.now() - 60_000),
      });
    }
    await signInOptions();
    // Gone, not merely expired: the same hashes can be stored again.
    for (const challengeHash of hashes) {
      await expect(
        db(main).webauthnChallenges.create({
          purpose: 'authentication',
          challengeHash,
          expiresAt: new Date(Date.now() - 60_000),
        }),
      ).resolves.toBeDefined();
    }
  });

  it('adds a passkey only with proof of a recent authentication, not a bearer token alone', async () => {
    const user = await api.newUser('proof');
    const token = user.tokens.access_token;
    const none = await api.post('/v1/mfa/webauthn/registration/options', {}, token);
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body.errors)).toContain('password');
    const wrong = await api.post(
      '/v1/mfa/webauthn/registration/options',
      { password: 'not the password at all' },
      token,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    await api
      .post('/v1/mfa/webauthn/registration/options', { password: PASSWORD }, token)
      .expect(200);
  });

  it('validates the request bodies (400 naming the field)', async () => {
    const bad = await api.post('/v1/auth/passkey', { response: { id: 'x' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('response');
    const user = await api.newUser('body');
    const unauth = await api.post('/v1/mfa/webauthn/registration/options', {});
    expect(unauth.status).toBe(401);
    const missing = await api.patch(
      '/v1/mfa/factors/nope',
      { name: 'x' },
      user.tokens.access_token,
    );
    expect(missing.status).toBe(404);
  });

  it('honours a tenant relying party from settings', async () => {
    const custom = await system.createTenant('passkeys-rp', {
      webauthn: { rp_id: 'example.com', origins: ['https://id.example.com'] },
    });
    const customApi = tenantApi(system.dp.url, custom);
    const user = await customApi.newUser('rp');
    const options = await registrationOptions(user.tokens.access_token, customApi);
    expect(options.rp.id).toBe('example.com');
    const wrongOrigin = createSoftAuthenticator({ origin });
    await customApi
      .post(
        '/v1/mfa/webauthn/registration',
        { response: wrongOrigin.register(options).json },
        user.tokens.access_token,
      )
      .expect(400);
    const authenticator = createSoftAuthenticator({ origin: 'https://login.example.com' });
    const again = await registrationOptions(user.tokens.access_token, customApi);
    // login.example.com is not among the tenant's origins.
    await customApi
      .post(
        '/v1/mfa/webauthn/registration',
        { response: authenticator.register(again).json },
        user.tokens.access_token,
      )
      .expect(400);
    const right = createSoftAuthenticator({ origin: 'https://id.example.com' });
    await customApi
      .post(
        '/v1/mfa/webauthn/registration',
        {
          response: right.register(await registrationOptions(user.tokens.access_token, customApi))
            .json,
        },
        user.tokens.access_token,
      )
      .expect(201);
    expect((await signInWith(right, customApi)).status).toBe(200);
  });

  it('is a second factor after a password, through the MFA step', async () => {
    const user = await api.newUser('mfa');
    const token = user.tokens.access_token;
    const authenticator = createSoftAuthenticator({ origin });
    const registered = await api
      .post(
        '/v1/mfa/webauthn/registration',
        { response: authenticator.register(await registrationOptions(token)).json },
        token,
      )
      .expect(201);
    // The first second factor brings the recovery codes; a second passkey does not.
    expect(registered.body.recovery_codes).toHaveLength(10);
    const spare = createSoftAuthenticator({ origin });
    const again = await api
      .post(
        '/v1/mfa/webauthn/registration',
        { response: spare.register(await registrationOptions(token)).json },
        token,
      )
      .expect(201);
    expect(again.body.recovery_codes).toBeUndefined();

    const signIn = await api.signIn(user.email).expect(200);
    expect(signIn.body.mfa_required).toBe(true);
    const mfaToken = signIn.body.mfa_token as string;
    expect(signIn.body.factors.map((f: { type: string }) => f.type)).toContain('webauthn');
    const challenge = await api
      .post('/v1/auth/mfa/challenge', { mfa_token: mfaToken, factor: 'webauthn' })
      .expect(200);
    const options = challenge.body.options as PublicKeyCredentialRequestOptionsJSON;
    expect(options.allowCredentials).toHaveLength(2);

    // A presence-only answer from another origin is refused; the step stays open.
    const wrong = await api.post('/v1/auth/mfa/verify', {
      mfa_token: mfaToken,
      factor: 'webauthn',
      response: authenticator.assert(options, { origin: 'https://evil.example' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_mfa_code');
    const retry = await api
      .post('/v1/auth/mfa/challenge', { mfa_token: mfaToken, factor: 'webauthn' })
      .expect(200);
    const done = await api
      .post('/v1/auth/mfa/verify', {
        mfa_token: mfaToken,
        factor: 'webauthn',
        response: authenticator.assert(
          retry.body.options as PublicKeyCredentialRequestOptionsJSON,
          {
            userVerified: false,
          },
        ),
      })
      .expect(200);
    const amr = decodeJwt(done.body.access_token as string)['amr'] as string[];
    expect(amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
    expect(amr).not.toContain('user');
  });

  describe('as a second factor (the verifier the MFA step calls)', () => {
    async function tenantContext(tenant: TestTenant): Promise<TenantContext> {
      const config = await system.dp.deps.directory.resolve(tenant.slug);
      if (!config) throw new Error('tenant not found');
      return {
        config,
        policy: policyOf(config, { accessTokenTtlSeconds: 900, bcryptCost: 4 }),
        db: db(tenant),
      };
    }

    it("verifies the user's own passkey once, against a challenge of that user", async () => {
      const verifier = system.dp.deps.modules.passkeys.secondFactor;
      const tenant = await tenantContext(main);
      const { user, authenticator, factorId } = await userWithPasskey('second');
      const someone = await userWithPasskey('second-other');

      const options = await verifier.options(tenant, user.id);
      expect(options.allowCredentials?.map((c) => c.id)).toEqual([
        authenticator.credentials[0]?.id.toString('base64url'),
      ]);
      // Presence alone is enough for a second factor; the answer says whether UV happened.
      const assertion = authenticator.assert(options, { userVerified: false });
      expect(await verifier.verify(tenant, someone.user.id, assertion)).toEqual({ ok: false });

      const fresh = authenticator.assert(await verifier.options(tenant, user.id), {
        userVerified: false,
      });
      expect(await verifier.verify(tenant, user.id, fresh)).toEqual({
        ok: true,
        factorId,
        userVerified: false,
      });
      expect(await verifier.verify(tenant, user.id, fresh)).toEqual({ ok: false });

      // Another user's passkey against this user's challenge.
      const stolen = someone.authenticator.assert(await verifier.options(tenant, user.id));
      expect(await verifier.verify(tenant, user.id, stolen)).toEqual({ ok: false });
      // A passwordless challenge does not serve as a second-factor one.
      const crossed = authenticator.assert(await signInOptions());
      expect(await verifier.verify(tenant, user.id, crossed)).toEqual({ ok: false });
      expect(await verifier.verify(tenant, user.id, { nonsense: true })).toEqual({ ok: false });
    });
  });
});
