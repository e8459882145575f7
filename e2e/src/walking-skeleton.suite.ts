import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import request from 'supertest';
import type { System } from './support/system';
import { openTenantDatabase } from './support/tenant-db';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const slug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * The walking skeleton, end to end: tenant created on the control plane -> provisioned by the
 * data plane -> user signs up and in -> a backend that never talked to us verifies the token.
 */
export function walkingSkeletonSuite(
  name: string,
  start: () => Promise<{ system: System; tenantServerUrl: string }>,
): void {
  describe(name, () => {
    let system: System;
    let tenantServerUrl: string;
    let a: { id: string; slug: string; issuer: string };
    let b: { id: string; slug: string; issuer: string };

    beforeAll(async () => {
      ({ system, tenantServerUrl } = await start());
      a = await system.createTenant(slug('acme'));
      b = await system.createTenant(slug('bravo'));
    });
    afterAll(async () => {
      await system.close();
    });

    const signUp = (tenant: string, email: string) =>
      request(system.dp.url)
        .post('/v1/auth/sign-up')
        .set('X-Tenant-ID', tenant)
        .send({ email, password: 'a long enough password', name: 'Ada' });

    it('signs a user up and in, and serves /v1/me with the access token', async () => {
      const email = `ada-${randomBytes(3).toString('hex')}@example.com`;
      const created = await signUp(a.slug, email).expect(201);
      expect(created.body.user.email).toBe(email);
      expect(created.body.token_type).toBe('Bearer');

      const signedIn = await request(system.dp.url)
        .post(`/t/${a.slug}/v1/auth/sign-in`)
        .send({ email: email.toUpperCase(), password: 'a long enough password' })
        .expect(200);
      const tokens = signedIn.body as Tokens;
      expect(tokens.refresh_token).toMatch(/^hjrt_/);

      const me = await request(system.dp.url)
        .get('/v1/me')
        .set('X-Tenant-ID', a.id)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .expect(200);
      expect(me.body).toMatchObject({ id: created.body.user.id, email });
    });

    it('issues tokens an outside backend verifies with the tenant JWKS alone', async () => {
      const res = await signUp(
        a.slug,
        `grace-${randomBytes(3).toString('hex')}@example.com`,
      ).expect(201);
      const jwks = createRemoteJWKSet(new URL(`${a.issuer}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(res.body.access_token as string, jwks, {
        issuer: a.issuer,
        audience: a.issuer,
        typ: 'at+jwt',
        algorithms: ['EdDSA'],
      });
      expect(protectedHeader.alg).toBe('EdDSA');
      expect(payload.sub).toBe(res.body.user.id);
      expect(payload.tid).toBe(a.id);
      expect(typeof payload.sid).toBe('string');
    });

    it('keeps tenant A users in tenant A database only', async () => {
      const email = `isolated-${randomBytes(3).toString('hex')}@example.com`;
      const res = await signUp(a.slug, email).expect(201);
      const dbA = openTenantDatabase(tenantServerUrl, a.id);
      const dbB = openTenantDatabase(tenantServerUrl, b.id);
      try {
        expect(await dbA('users').where({ id: res.body.user.id }).select('id')).toHaveLength(1);
        expect(await dbB('users').where({ email_normalized: email }).select('id')).toHaveLength(0);
        expect(await dbB('users').where({ id: res.body.user.id }).select('id')).toHaveLength(0);
      } finally {
        await dbA.destroy();
        await dbB.destroy();
      }
    });

    it('rejects a token of tenant A at tenant B', async () => {
      const res = await signUp(
        a.slug,
        `cross-${randomBytes(3).toString('hex')}@example.com`,
      ).expect(201);
      const denied = await request(system.dp.url)
        .get(`/t/${b.slug}/v1/me`)
        .set('Authorization', `Bearer ${res.body.access_token as string}`)
        .expect(401);
      expect(denied.body.code).toBe('invalid_token');
      expect(denied.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('rejects alg:none, HS256 key confusion, unknown-key, expired, wrong iss/aud/typ/tid tokens', async () => {
      const res = await signUp(
        a.slug,
        `forge-${randomBytes(3).toString('hex')}@example.com`,
      ).expect(201);
      const claims = decodeJwt(res.body.access_token as string);
      const none = new UnsecuredJWT({ ...claims }).encode();
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const header = { alg: 'EdDSA', typ: 'at+jwt', kid: 'attacker-key' };
      const unknownKey = await new SignJWT({ ...claims })
        .setProtectedHeader(header)
        .sign(privateKey);
      const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 })
        .setProtectedHeader(header)
        .sign(privateKey);
      // HS256 with the tenant's public key as the HMAC secret (the classic key-confusion attack).
      const jwks = (await request(system.dp.url).get(`/t/${a.slug}/.well-known/jwks.json`))
        .body as {
        keys: Array<{ kid: string; x?: string; alg: string }>;
      };
      const edKey = jwks.keys.find((key) => key.alg === 'EdDSA')!;
      const hs256 = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: edKey.kid })
        .sign(Buffer.from(edKey.x!, 'base64url'));
      // Signed with the tenant's REAL key, but with a wrong iss, aud, typ or tenant: still refused.
      const db = system.dp.deps.pools.get({ tenantId: a.id, database: { mode: 'managed' } });
      const real = await system.dp.deps.keyring.signingKey(db);
      const signReal = (payload: object, typ = 'at+jwt') =>
        new SignJWT({ ...claims, ...payload })
          .setProtectedHeader({ alg: 'EdDSA', typ, kid: real.kid })
          .sign(real.privateKey);
      expect(
        (
          await request(system.dp.url)
            .get(`/t/${a.slug}/v1/me`)
            .set('Authorization', `Bearer ${await signReal({})}`)
        ).status,
      ).toBe(200);
      const forged = [
        await signReal({ iss: b.issuer }),
        await signReal({ aud: 'https://evil.example.com' }),
        await signReal({}, 'JWT'),
        await signReal({ tid: b.id }),
      ];
      for (const token of [none, unknownKey, expired, hs256, ...forged, 'not-a-jwt']) {
        const denied = await request(system.dp.url)
          .get('/v1/me')
          .set('X-Tenant-ID', a.slug)
          .set('Authorization', `Bearer ${token}`);
        expect(denied.status).toBe(401);
      }
    });

    it('rotates refresh tokens and revokes the session when a spent one comes back', async () => {
      const res = await signUp(a.slug, `rot-${randomBytes(3).toString('hex')}@example.com`).expect(
        201,
      );
      const first = res.body as Tokens;
      const second = (
        await request(system.dp.url)
          .post(`/t/${a.slug}/v1/auth/refresh`)
          .send({ refresh_token: first.refresh_token })
          .expect(200)
      ).body as Tokens;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      // Within the reuse interval (default 10 s) the spent token would answer the same successor
      // (concurrent tabs); once that successor is spent too, the old token is plain reuse.
      const third = (
        await request(system.dp.url)
          .post(`/t/${a.slug}/v1/auth/refresh`)
          .send({ refresh_token: second.refresh_token })
          .expect(200)
      ).body as Tokens;
      const reused = await request(system.dp.url)
        .post(`/t/${a.slug}/v1/auth/refresh`)
        .send({ refresh_token: first.refresh_token })
        .expect(401);
      expect(reused.body.code).toBe('refresh_token_reused');
      // The whole session is gone: its newest refresh and access tokens fail too.
      const after = await request(system.dp.url)
        .post(`/t/${a.slug}/v1/auth/refresh`)
        .send({ refresh_token: third.refresh_token })
        .expect(401);
      expect(after.body.code).toBe('refresh_token_invalid');
      await request(system.dp.url)
        .get(`/t/${a.slug}/v1/me`)
        .set('Authorization', `Bearer ${third.access_token}`)
        .expect(401);
    });

    it('answers 400 when path and header name different tenants, 404 for unknown ones', async () => {
      const mismatch = await request(system.dp.url)
        .post(`/t/${a.slug}/v1/auth/sign-in`)
        .set('X-Tenant-ID', b.slug)
        .send({ email: 'x@example.com', password: 'whatever-password' })
        .expect(400);
      expect(mismatch.body.code).toBe('tenant_mismatch');
      const unknown = await request(system.dp.url)
        .post('/v1/auth/sign-in')
        .set('X-Tenant-ID', 'no-such-tenant')
        .send({ email: 'x@example.com', password: 'whatever-password' })
        .expect(404);
      expect(unknown.body.code).toBe('tenant_not_found');
    });
  });
}
