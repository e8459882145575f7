import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';

/**
 * @see issue 15: what a black-box probe found the control plane accepting, through the real app.
 * (5) deeply nested JSON bodies, (6) respelt admin tokens, (7) NUL bytes and lone surrogates in
 * names, and forged pagination cursors.
 */

let cp: CpApp;
let owner: string;

beforeAll(async () => {
  cp = await startCpApp();
  owner = await cp.token();
});
afterAll(async () => {
  await cp.close();
});

const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
let counter = 0;
const slug = (): string => `limits-${Date.now().toString(36)}-${(counter += 1)}`;

/** Sends `text` as the raw JSON body (supertest would stringify an object, and overflow). */
function sendRaw(method: 'post' | 'patch', path: string, text: string, token = owner) {
  return request(cp.app)
    [method](path)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(text);
}

const paths = (body: { errors?: Array<{ path: string }> }): string[] =>
  (body.errors ?? []).map((e) => e.path);

const BAD_NAMES = ['"Acme\\u0000"', '"Acme\\ud800"', '"\\udc00Acme"'];

describe('tenants', () => {
  it('refuses NUL bytes and lone surrogates in the name (400 naming body.name)', async () => {
    const tenant = await cp.createTenant();
    for (const name of BAD_NAMES) {
      const created = await sendRaw('post', '/v1/tenants', `{"slug":"${slug()}","name":${name}}`);
      expect(created.status).toBe(400);
      expect(paths(created.body)).toEqual(['body.name']);
      const patched = await sendRaw('patch', `/v1/tenants/${tenant.id}`, `{"name":${name}}`);
      expect(patched.status).toBe(400);
      expect(paths(patched.body)).toEqual(['body.name']);
    }
  });

  it('refuses them in settings.branding.display_name', async () => {
    const tenant = await cp.createTenant();
    const res = await sendRaw(
      'patch',
      `/v1/tenants/${tenant.id}`,
      '{"settings":{"branding":{"display_name":"Acme\\u0000"}}}',
    );
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['body.settings.branding.display_name']);
    // Branding stays a strict object: settings have no free-form member.
    const unknown = await sendRaw(
      'patch',
      `/v1/tenants/${tenant.id}`,
      '{"settings":{"branding":{"display_name":"Acme 🦉","nope":{}}}}',
    );
    expect(unknown.status).toBe(400);
    expect(paths(unknown.body)).toEqual(['body.settings.branding.nope']);
  });

  it('answers 400, never 500, for 10,000-deep settings or bodies', async () => {
    const tenant = await cp.createTenant();
    const deep = nestedArrays(10_000);
    for (const [method, path, text] of [
      ['post', '/v1/tenants', `{"slug":"${slug()}","name":"A","settings":{"branding":${deep}}}`],
      ['post', '/v1/tenants', `{"slug":"${slug()}","name":"A","settings":{"x":${deep}}}`],
      ['post', '/v1/tenants', `{"slug":"${slug()}","name":${deep}}`],
      ['post', '/v1/tenants', deep],
      ['patch', `/v1/tenants/${tenant.id}`, `{"settings":{"branding":{"display_name":${deep}}}}`],
      ['patch', `/v1/tenants/${tenant.id}`, `{"settings":${deep}}`],
      ['patch', `/v1/tenants/${tenant.id}`, `{"nope":${deep}}`],
    ] as const) {
      const res = await sendRaw(method, path, text);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});

describe('clients', () => {
  it('refuses NUL bytes and lone surrogates in the name (400 naming body.name)', async () => {
    const tenant = await cp.createTenant();
    const base = `/v1/tenants/${tenant.slug}/clients`;
    const created = await request(cp.app)
      .post(base)
      .set('Authorization', `Bearer ${owner}`)
      .send({ name: 'App', type: 'confidential', grant_types: ['client_credentials'] })
      .expect(201);
    const clientPath = `${base}/${created.body.client_id as string}`;
    for (const name of BAD_NAMES) {
      const body = `{"name":${name},"type":"confidential","grant_types":["client_credentials"]}`;
      const res = await sendRaw('post', base, body);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.name']);
      const patched = await sendRaw('patch', clientPath, `{"name":${name}}`);
      expect(patched.status).toBe(400);
      expect(paths(patched.body)).toEqual(['body.name']);
    }
  });
});

describe('admin token spelling', () => {
  it('answers 401 invalid_token for a padded or spare-bit respelling', async () => {
    await request(cp.app).get('/v1/tenants').set('Authorization', `Bearer ${owner}`).expect(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(owner.slice(-1));
    for (const token of [`${owner}==`, `${owner.slice(0, -1)}${alphabet.charAt(last ^ 1)}`]) {
      const res = await request(cp.app)
        .get('/v1/tenants')
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });
});

describe('pagination cursors', () => {
  it('refuses a modified or unsigned cursor (400 invalid_cursor)', async () => {
    for (let i = 0; i < 3; i += 1) await cp.createTenant();
    const list = (query: string) =>
      request(cp.app).get(`/v1/tenants?${query}`).set('Authorization', `Bearer ${owner}`);
    const first = await list('limit=1').expect(200);
    const cursor = first.body.next_cursor as string;
    await list(`limit=1&cursor=${cursor}`).expect(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flip = (at: number): string =>
      `${cursor.slice(0, at)}${alphabet.charAt(alphabet.indexOf(cursor.charAt(at)) ^ 1)}${cursor.slice(at + 1)}`;
    const unsigned = Buffer.from(JSON.stringify({ t: 0, i: 'a' })).toString('base64url');
    for (const forged of [flip(0), flip(cursor.length - 2), cursor.slice(0, -1), unsigned]) {
      const res = await list(`limit=1&cursor=${encodeURIComponent(forged)}`).expect(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
  });
});
