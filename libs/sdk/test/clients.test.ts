import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createControlPlaneClient,
  createDataPlaneClient,
  HelloJohnApiError,
  isMfaRequired,
  isSignUpAccepted,
  paginate,
} from '../src/index';
import type { SignUpResult, Tenant, TenantSettings } from '../src/index';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Reply = { status: number; type?: string; body?: unknown; headers?: Record<string, string> };

let server: Server;
let baseUrl: string;
let seen: Seen[];
let reply: (seen: Seen) => Reply;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

beforeEach(async () => {
  seen = [];
  reply = () => ({ status: 200, body: {} });
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      seen.push(request);
      const { status, type = 'application/json', body: out, headers = {} } = reply(request);
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(out === undefined ? '' : typeof out === 'string' ? out : JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('createControlPlaneClient', () => {
  it('sends the admin token and the documented paths', async () => {
    const cp = createControlPlaneClient({ baseUrl: `${baseUrl}/`, token: 'cp-token' });
    await cp.tenants.create({ slug: 'acme', name: 'Acme' });
    await cp.tenants.list({ status: 'active', limit: 5 });
    await cp.tenants.update('acme', { name: 'Acme 2' });
    await cp.tenants.rotateKeys('acme');
    await cp.tenants.delete('a/b');
    await cp.admins.create({ email: 'a@example.com', password: 'x'.repeat(12) });
    await cp.clients.rotateSecret('acme', 'cl_1');
    await cp.auditLog.list({ action: 'tenant.create' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /v1/tenants',
      'GET /v1/tenants?status=active&limit=5',
      'PATCH /v1/tenants/acme',
      'POST /v1/tenants/acme/keys/rotate',
      'DELETE /v1/tenants/a%2Fb',
      'POST /v1/admins',
      'POST /v1/tenants/acme/clients/cl_1/secret',
      'GET /v1/audit-log?action=tenant.create',
    ]);
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set(['Bearer cp-token']));
    expect(seen[0]).toMatchObject({
      contentType: 'application/json',
      body: { slug: 'acme', name: 'Acme' },
    });
  });

  it('asks getToken for a token on every call', async () => {
    let n = 0;
    const cp = createControlPlaneClient({ baseUrl, getToken: () => `t${++n}` });
    await cp.admins.list();
    await cp.admins.list();
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('throws HelloJohnApiError from a problem document', async () => {
    reply = () => ({
      status: 400,
      type: 'application/problem+json',
      headers: { 'x-request-id': 'req-1' },
      body: {
        type: 'https://hellojohn.dev/errors/validation_failed',
        title: 'Validation failed',
        status: 400,
        code: 'validation_failed',
        detail: 'The request is invalid.',
        errors: [{ path: 'body.slug', message: 'must be 3-63 lower-case letters' }],
      },
    });
    const error = await createControlPlaneClient({ baseUrl })
      .tenants.create({ slug: 'A', name: 'x' })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(HelloJohnApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      detail: 'The request is invalid.',
      errors: [{ path: 'body.slug', message: 'must be 3-63 lower-case letters' }],
      requestId: 'req-1',
    });
  });

  it('walks every page with paginate', async () => {
    reply = (s) =>
      s.url.includes('cursor=c2')
        ? { status: 200, body: { data: [{ slug: 'c' }], next_cursor: null } }
        : { status: 200, body: { data: [{ slug: 'a' }, { slug: 'b' }], next_cursor: 'c2' } };
    const cp = createControlPlaneClient({ baseUrl, token: 't' });
    const slugs: string[] = [];
    for await (const tenant of paginate((cursor) => cp.tenants.list({ cursor, limit: 2 }))) {
      slugs.push(tenant.slug);
    }
    expect(slugs).toEqual(['a', 'b', 'c']);
  });
});

describe('createDataPlaneClient', () => {
  it('names the tenant in the path and sends the user token where one is needed', async () => {
    const dp = createDataPlaneClient({ baseUrl, tenant: 'acme' });
    reply = () => ({
      status: 200,
      body: { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 },
    });
    const signedIn = await dp.signIn({ email: 'ada@example.com', password: 'pw' });
    expect(isMfaRequired(signedIn)).toBe(false);
    expect('token_type' in signedIn && signedIn.token_type).toBe('Bearer');
    await dp.refresh('hjrt_1');
    reply = () => ({ status: 204 });
    await expect(dp.signOut({ refreshToken: 'hjrt_2' })).resolves.toBeUndefined();
    await dp.signOut({ accessToken: 'at' });
    await dp.sessions.revoke('at', 's1');
    reply = () => ({ status: 200, body: { data: [], next_cursor: null } });
    await dp.sessions.list('at');
    expect(seen.map((s) => `${s.method} ${s.url} ${s.authorization ?? '-'}`)).toEqual([
      'POST /t/acme/v1/auth/sign-in -',
      'POST /t/acme/v1/auth/refresh -',
      'POST /t/acme/v1/auth/sign-out -',
      'POST /t/acme/v1/auth/sign-out Bearer at',
      'DELETE /t/acme/v1/sessions/s1 Bearer at',
      'GET /t/acme/v1/sessions Bearer at',
    ]);
    expect(seen[1]?.body).toEqual({ refresh_token: 'hjrt_1' });
    expect(seen[2]?.body).toEqual({ refresh_token: 'hjrt_2' });
    expect(dp.issuer).toBe(`${baseUrl}/t/acme`);
  });

  it('drives the MFA step, enrolment with a bearer or an mfa_token, and the admin reset', async () => {
    const dp = createDataPlaneClient({ baseUrl, tenant: 'acme' });
    reply = () => ({
      status: 200,
      body: { mfa_required: true, mfa_token: 'hjmfa_x', factors: [], expires_in: 300 },
    });
    const first = await dp.signIn({ email: 'ada@example.com', password: 'pw' });
    expect(isMfaRequired(first)).toBe(true);
    reply = () => ({ status: 200, body: {} });
    await dp.mfa.verify({ mfa_token: 'hjmfa_x', factor: 'totp', code: '123456' });
    await dp.mfa.enrolTotp(undefined, { mfa_token: 'hjmfa_x' });
    await dp.mfa.confirmTotp('at', { factor_id: 'f1', code: '123456' });
    reply = () => ({ status: 204 });
    await dp.mfa.removeFactor('at', 'f1', { password: 'pw' });
    await dp.admin.users.mfa.reset('cp', 'u1');
    expect(seen.map((s) => `${s.method} ${s.url} ${s.authorization ?? '-'}`)).toEqual([
      'POST /t/acme/v1/auth/sign-in -',
      'POST /t/acme/v1/auth/mfa/verify -',
      'POST /t/acme/v1/mfa/totp -',
      'POST /t/acme/v1/mfa/totp/confirm Bearer at',
      'DELETE /t/acme/v1/mfa/factors/f1 Bearer at',
      'DELETE /t/acme/v1/admin/users/u1/mfa Bearer cp',
    ]);
    expect(seen[2]?.body).toEqual({ mfa_token: 'hjmfa_x' });
    expect(seen[4]?.body).toEqual({ password: 'pw' });
  });

  it('throws HelloJohnApiError from an OAuth error body and from a non-JSON answer', async () => {
    const dp = createDataPlaneClient({ baseUrl, tenant: 'acme' });
    reply = () => ({
      status: 401,
      body: { error: 'invalid_grant', error_description: 'The refresh token is spent.' },
    });
    await expect(dp.refresh('x')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_grant',
      detail: 'The refresh token is spent.',
      errors: [],
    });
    reply = () => ({ status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' });
    await expect(dp.me.get('at')).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
      body: '<h1>Bad gateway</h1>',
    });
  });
});

describe('wire types generated from the OpenAPI documents', () => {
  it('tells a sign-up with tokens from the enumeration-protection answer', () => {
    const accepted: SignUpResult = { status: 'accepted' };
    expect(isSignUpAccepted(accepted)).toBe(true);
    const signedUp: SignUpResult = {
      access_token: 'a',
      refresh_token: 'r',
      token_type: 'Bearer',
      expires_in: 900,
      user: {
        id: 'u1',
        email: 'ada@example.com',
        name: null,
        email_verified: false,
        metadata: {},
        created_at: '2024-01-01T00:00:00.000Z',
        updated_at: '2024-01-01T00:00:00.000Z',
      },
    };
    expect(isSignUpAccepted(signedUp)).toBe(false);
  });

  it('types tenant settings as the control plane validates them', () => {
    // Compile-time checks: these fields exist only in the server's schema, not in a hand copy.
    const settings: TenantSettings = {
      branding: { display_name: 'Acme' },
      lockout: { max_failures: 5, window_seconds: 900 },
      refresh_token_mode: 'absolute',
    };
    const status: Tenant['status'] = 'provisioning';
    expect({ settings, status }).toBeDefined();
  });
});
