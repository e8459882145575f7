import request from 'supertest';
import { tenantApi, uniqueEmail, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

jest.setTimeout(60_000);

/**
 * @see issue 15: what a black-box probe found the data plane accepting, through the real app.
 * (5) deeply nested or oversized `metadata`, (6) respelt tokens, (7) NUL bytes and lone
 * surrogates in names, and forged pagination cursors.
 */

/** `{"a":[[...]]}`-style JSON text `depth` containers deep, built as text: stringify would overflow. */
const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** An object nested `depth` levels, counting itself: `{}` is 1 level, `{"a":{}}` is 2. */
const nestedObject = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
};

let system: DpSystem;
let tenant: TestTenant;
let api: TenantApi;
let owner: string;

beforeAll(async () => {
  system = await startDpSystem();
  tenant = await system.createTenant('limits');
  api = tenantApi(system.dp.url, tenant);
  owner = await system.cpAdminToken('owner');
});
afterAll(async () => {
  await system.close();
});

/** Sends `text` as the raw JSON body (supertest would stringify an object, and overflow). */
function sendRaw(method: 'patch' | 'post', path: string, token: string, text: string) {
  return request(system.dp.url)
    [method](`/t/${tenant.slug}${path}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(text);
}

interface Target {
  name: string;
  method: 'patch' | 'post';
  /** Path and a token allowed to call it. */
  open(): Promise<{ path: string; token: string }>;
  /** Other members a valid body needs. */
  base(): Record<string, unknown>;
}

const TARGETS: Target[] = [
  {
    name: 'PATCH /v1/me',
    method: 'patch',
    async open() {
      const { tokens } = await api.newUser('me');
      return { path: '/v1/me', token: tokens.access_token };
    },
    base: () => ({}),
  },
  {
    name: 'PATCH /v1/admin/users/{id}',
    method: 'patch',
    async open() {
      const { id } = await api.newUser('adm');
      return { path: `/v1/admin/users/${id}`, token: owner };
    },
    base: () => ({}),
  },
  {
    name: 'POST /v1/admin/users',
    method: 'post',
    open: async () => ({ path: '/v1/admin/users', token: owner }),
    base: () => ({ email: uniqueEmail('new') }),
  },
];

/** The JSON text of `base` with `member` set to the raw JSON text `value`. */
function bodyWith(base: Record<string, unknown>, member: string, value: string): string {
  const head = JSON.stringify(base);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}${JSON.stringify(member)}:${value}}`;
}

describe.each(TARGETS)('$name', (target) => {
  it.each([10_000, 4_000, 9])(
    'answers 400 validation_failed naming body.metadata for %i-deep metadata',
    async (depth) => {
      const { path, token } = await target.open();
      const metadata = `{"a":${nestedArrays(depth - 1)}}`;
      const res = await sendRaw(
        target.method,
        path,
        token,
        bodyWith(target.base(), 'metadata', metadata),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.metadata');
    },
  );

  it('answers 400, never 500, for a 10,000-deep value in any member, or as the whole body', async () => {
    const { path, token } = await target.open();
    for (const text of [
      bodyWith(target.base(), 'name', nestedArrays(10_000)),
      bodyWith(target.base(), 'unknown_member', nestedArrays(10_000)),
      nestedArrays(10_000),
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    ]) {
      const res = await sendRaw(target.method, path, token, text);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('refuses NUL bytes and lone surrogates in the name (400 naming body.name)', async () => {
    const { path, token } = await target.open();
    for (const name of ['"Ada\\u0000"', '"Ada\\ud800"', '"\\udc00Ada"', '"Ada\\ud800x"']) {
      const res = await sendRaw(target.method, path, token, bodyWith(target.base(), 'name', name));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.name']);
    }
    // A well-formed astral character (a surrogate pair) is fine.
    const ok = await sendRaw(
      target.method,
      path,
      token,
      bodyWith(target.base(), 'name', '"Ada 🦉"'),
    );
    expect(ok.status).toBeLessThan(300);
    expect(ok.body.name).toBe('Ada 🦉');
  });
});

describe('metadata bounds', () => {
  it('stores 8 levels and refuses 9', async () => {
    const { tokens } = await api.newUser('depth');
    const eight = nestedObject(8);
    const ok = await api.patch('/v1/me', { metadata: eight }, tokens.access_token).expect(200);
    expect(ok.body.metadata).toEqual(eight);
    const res = await api
      .patch('/v1/me', { metadata: nestedObject(9) }, tokens.access_token)
      .expect(400);
    expect(res.body.errors[0]).toEqual({
      path: 'body.metadata',
      message: 'must be nested at most 8 levels deep',
    });
  });

  it('refuses more than 8 KiB of JSON and more than 256 members', async () => {
    const { tokens } = await api.newUser('size');
    const big = await api
      .patch('/v1/me', { metadata: { blob: 'x'.repeat(8200) } }, tokens.access_token)
      .expect(400);
    expect(big.body.errors[0].path).toBe('body.metadata');
    const wide = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, 0]));
    const many = await api.patch('/v1/me', { metadata: wide }, tokens.access_token).expect(400);
    expect(many.body.errors[0]).toEqual({
      path: 'body.metadata',
      message: 'must have at most 256 members',
    });
    delete wide['k256'];
    await api.patch('/v1/me', { metadata: wide }, tokens.access_token).expect(200);
  });

  it('refuses NUL bytes and lone surrogates in metadata keys and string values', async () => {
    const { tokens } = await api.newUser('meta');
    for (const metadata of [
      '{"a":"x\\u0000"}',
      '{"a":["\\ud800"]}',
      '{"a\\u0000":1}',
      '{"\\udfff":1}',
    ]) {
      const res = await request(system.dp.url)
        .patch(`/t/${tenant.slug}/v1/me`)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .set('Content-Type', 'application/json')
        .send(`{"metadata":${metadata}}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('body.metadata');
    }
  });
});

describe('sign-up name', () => {
  it('refuses NUL bytes and lone surrogates', async () => {
    for (const name of ['"Ada\\u0000"', '"Ada\\ud800"']) {
      const res = await request(system.dp.url)
        .post(`/t/${tenant.slug}/v1/auth/sign-up`)
        .set('Content-Type', 'application/json')
        .send(`{"email":"${uniqueEmail('su')}","password":"violet kettle drum 42","name":${name}}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.name']);
    }
  });
});

describe('token spelling', () => {
  /** Respellings jose would decode to the same bytes: padding, and a spare bit of the signature. */
  const respelt = (token: string): string[] => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    return [`${token}==`, `${token.slice(0, -1)}${alphabet.charAt(last ^ 1)}`];
  };

  it('answers 401 invalid_token for a respelt user access token', async () => {
    const { tokens } = await api.newUser('spell');
    await api.get('/v1/me', tokens.access_token).expect(200);
    for (const token of respelt(tokens.access_token)) {
      const res = await api.get('/v1/me', token).expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('answers 401 invalid_token for a respelt CP admin token', async () => {
    await api.get('/v1/admin/users', owner).expect(200);
    for (const token of respelt(owner)) {
      const res = await api.get('/v1/admin/users', token).expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });
});

describe('pagination cursors', () => {
  it('refuses a modified cursor (400 invalid_cursor)', async () => {
    for (let i = 0; i < 3; i += 1) await api.newUser('cursor');
    const first = await api.get('/v1/admin/users?limit=1', owner).expect(200);
    const cursor = first.body.next_cursor as string;
    await api.get(`/v1/admin/users?limit=1&cursor=${cursor}`, owner).expect(200);
    for (const forged of forgeries(cursor)) {
      const res = await api
        .get(`/v1/admin/users?limit=1&cursor=${encodeURIComponent(forged)}`, owner)
        .expect(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
  });
});

/** Cursors an attacker can make from a real one: edited content, truncated, respelt, unsigned. */
function forgeries(cursor: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const flip = (text: string, at: number): string =>
    `${text.slice(0, at)}${alphabet.charAt(alphabet.indexOf(text.charAt(at)) ^ 1)}${text.slice(at + 1)}`;
  const early = { t: 0, i: '00000000-0000-0000-0000-000000000000' };
  const unsigned = Buffer.from(JSON.stringify(early)).toString('base64url');
  return [flip(cursor, 0), flip(cursor, cursor.length - 2), cursor.slice(0, -1), unsigned];
}
