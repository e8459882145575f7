import type { TenantDb } from '@hellojohn/dal';
import { createEvent } from '@hellojohn/events';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { tenantApi, type TenantApi, type Tokens } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

jest.setTimeout(60_000);

/**
 * The hot paths of issue 16: JWKS and discovery precomputed with a strong ETag (304 on
 * `If-None-Match`), published again at once after a rotation on this replica; `/v1/me` with the
 * session check cached, which a revocation on this replica voids at once and one on another
 * replica (its `session.revoked` event) within moments (docs/security.md, "Token handling").
 */
describe('hot paths: JWKS, discovery, /v1/me', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let api: TenantApi;
  let db: TenantDb;

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('hot');
    api = tenantApi(system.dp.url, tenant);
    db = system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
  });
  afterAll(async () => {
    await system.close();
  });

  const sidOf = (tokens: Tokens): string =>
    (
      JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString()) as {
        sid: string;
      }
    ).sid;

  describe.each([['/.well-known/jwks.json'], ['/.well-known/openid-configuration']])(
    '%s',
    (path) => {
      const url = () => `/t/${tenant.slug}${path}`;

      it('answers JSON with a strong ETag and public caching', async () => {
        const res = await request(system.dp.url).get(url()).expect(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['cache-control']).toBe('public, max-age=300');
        expect(res.headers['etag']).toMatch(/^"[A-Za-z0-9_-]+"$/);
        expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
        // The same bytes, tagged alike, on the next request.
        const again = await request(system.dp.url).get(url()).expect(200);
        expect(again.headers['etag']).toBe(res.headers['etag']);
        expect(again.text).toBe(res.text);
      });

      it('answers 304 with no body to the tag the client holds, 200 to another', async () => {
        const { headers } = await request(system.dp.url).get(url()).expect(200);
        const etag = String(headers['etag']);
        for (const held of [etag, `W/${etag}`, `"old", ${etag}`]) {
          const res = await request(system.dp.url).get(url()).set('If-None-Match', held);
          expect(res.status).toBe(304);
          expect(res.text).toBe('');
          expect(res.headers['etag']).toBe(etag);
          expect(res.headers['cache-control']).toBe('public, max-age=300');
        }
        await request(system.dp.url).get(url()).set('If-None-Match', '"old"').expect(200);
      });

      it('answers 404 for an unknown tenant, not a cached document', async () => {
        await request(system.dp.url).get(`/t/no-such-tenant-hot${path}`).expect(404);
      });
    },
  );

  it('publishes the keys of a rotation on this replica on the next request', async () => {
    const url = `/t/${tenant.slug}/.well-known/jwks.json`;
    const before = await request(system.dp.url).get(url).expect(200);
    const etag = String(before.headers['etag']);
    const rotation = await system.dp.deps.keyring.rotate(db, { tokenTtlSeconds: 900 });
    expect(rotation.created).toBe(true);
    const after = await request(system.dp.url).get(url).set('If-None-Match', etag).expect(200);
    expect(after.headers['etag']).not.toBe(etag);
    const kids = (after.body as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining(rotation.kids));
  });

  it('refuses a revoked session on /v1/me at once on the replica that revoked it', async () => {
    const user = await api.newUser('hot-signout');
    // Twice: the second answer comes from the cached session check.
    await api.get('/v1/me', user.tokens.access_token).expect(200);
    await api.get('/v1/me', user.tokens.access_token).expect(200);
    await api.post('/v1/auth/sign-out', {}, user.tokens.access_token).expect(204);
    const res = await api.get('/v1/me', user.tokens.access_token).expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses every session of a sign-out everywhere at once', async () => {
    const user = await api.newUser('hot-all');
    const second = (await api.signIn(user.email).expect(200)).body as Tokens;
    for (const tokens of [user.tokens, second]) {
      await api.get('/v1/me', tokens.access_token).expect(200);
    }
    await api.post('/v1/auth/sign-out-all', undefined, second.access_token).expect(204);
    for (const tokens of [user.tokens, second]) {
      await api.get('/v1/me', tokens.access_token).expect(401);
    }
  });

  it("drops the cached check when another replica's session.revoked arrives", async () => {
    const user = await api.newUser('hot-replica');
    const sid = sidOf(user.tokens);
    await api.get('/v1/me', user.tokens.access_token).expect(200);
    // Another replica revokes it: the row changes, but nothing on this replica is told yet.
    expect(await db.sessions.revoke(sid, 'sign_out')).toBe(true);
    await api.get('/v1/me', user.tokens.access_token).expect(200);
    await system.dp.deps.bus.publish(
      createEvent('session.revoked', tenant.id, { user_id: user.id, session_id: sid }),
    );
    await eventually(async () => {
      await api.get('/v1/me', user.tokens.access_token).expect(401);
    });
  });
});
