import { createControlPlaneClient, HelloJohnApiError } from '../src/index';
import type { ApiResource, CreateApiResourceInput } from '../src/index';

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/**
 * `cp.resources` and the client grants (docs/apis.md) against a stubbed fetch: the documented
 * paths and bodies, the admin token on every call, and `iterate` following `next_cursor`.
 */
describe('createControlPlaneClient: API resources and client grants', () => {
  function stubbed(answer: (seen: Seen) => { status: number; body?: unknown }) {
    const seen: Seen[] = [];
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      const request: Seen = {
        method: init?.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        authorization: new Headers(init?.headers).get('authorization'),
        body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      };
      seen.push(request);
      const { status, body } = answer(request);
      return new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: {
          'content-type': status < 400 ? 'application/json' : 'application/problem+json',
        },
      });
    }) as typeof fetch;
    const cp = createControlPlaneClient({
      baseUrl: 'http://cp.test/',
      token: 'cp-token',
      fetch: fetchStub,
    });
    return { cp, seen };
  }

  const resource = (id: string): ApiResource => ({
    id,
    identifier: `https://api.example.com/${id}`,
    name: id,
    scopes: [{ name: 'invoices:read', description: null }],
    access_token_alg: 'RS256',
    access_token_ttl: null,
    subjects: 'machines',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  });

  it('creates, reads, changes and deletes an API resource at the documented paths', async () => {
    const { cp, seen } = stubbed(({ method }) =>
      method === 'DELETE' ? { status: 204 } : { status: 200, body: resource('r1') },
    );
    const input: CreateApiResourceInput = {
      identifier: 'https://api.example.com/invoices',
      name: 'Invoices',
      scopes: [{ name: 'invoices:read', description: 'Read invoices' }],
      access_token_alg: 'RS256',
      subjects: 'machines',
    };
    const created = await cp.resources.create('acme', input);
    expect(created.access_token_alg).toBe('RS256');
    await cp.resources.get('acme', 'r1');
    await cp.resources.update('acme', 'r/1', { access_token_ttl: 600 });
    await cp.resources.list('acme', { limit: 5, cursor: 'c1' });
    await expect(cp.resources.delete('a b', 'r1')).resolves.toBeUndefined();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /v1/tenants/acme/resources',
      'GET /v1/tenants/acme/resources/r1',
      'PATCH /v1/tenants/acme/resources/r%2F1',
      'GET /v1/tenants/acme/resources?limit=5&cursor=c1',
      'DELETE /v1/tenants/a%20b/resources/r1',
    ]);
    expect(seen[0]?.body).toEqual(input);
    expect(seen[2]?.body).toEqual({ access_token_ttl: 600 });
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set(['Bearer cp-token']));
  });

  it('iterates every page of API resources', async () => {
    const { cp, seen } = stubbed(({ path }) =>
      path.includes('cursor=c1')
        ? { status: 200, body: { data: [resource('r3')], next_cursor: null } }
        : { status: 200, body: { data: [resource('r1'), resource('r2')], next_cursor: 'c1' } },
    );
    const ids: string[] = [];
    for await (const item of cp.resources.iterate('acme', { limit: 2 })) ids.push(item.id);
    expect(ids).toEqual(['r1', 'r2', 'r3']);
    expect(seen.map((s) => s.path)).toEqual([
      '/v1/tenants/acme/resources?limit=2',
      '/v1/tenants/acme/resources?limit=2&cursor=c1',
    ]);
  });

  it("grants, lists and revokes a client's scopes on an API resource", async () => {
    const grant = {
      resource_id: 'r1',
      identifier: 'https://api.example.com/r1',
      client_id: 'hjc_1',
      scopes: ['invoices:read'],
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    const { cp, seen } = stubbed(({ method }) =>
      method === 'DELETE'
        ? { status: 204 }
        : method === 'PUT'
          ? { status: 200, body: grant }
          : { status: 200, body: { data: [grant] } },
    );
    const put = await cp.clients.grantResource('acme', 'hjc_1', 'r1', ['invoices:read']);
    expect(put.identifier).toBe('https://api.example.com/r1');
    const grants = await cp.clients.grants('acme', 'hjc_1');
    expect(grants.data.map((g) => g.scopes)).toEqual([['invoices:read']]);
    await cp.clients.revokeResource('acme', 'hjc_1', 'r1');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PUT /v1/tenants/acme/clients/hjc_1/resources/r1',
      'GET /v1/tenants/acme/clients/hjc_1/resources',
      'DELETE /v1/tenants/acme/clients/hjc_1/resources/r1',
    ]);
    expect(seen[0]?.body).toEqual({ scopes: ['invoices:read'] });
    expect(seen[2]?.body).toBeUndefined();
  });

  it('throws HelloJohnApiError with the code of a refused grant', async () => {
    const { cp } = stubbed(() => ({
      status: 404,
      body: {
        type: 'https://hellojohn.dev/errors/resource_not_found',
        title: 'Resource not found',
        status: 404,
        code: 'resource_not_found',
      },
    }));
    const error = await cp.clients
      .grantResource('acme', 'hjc_1', 'missing', ['invoices:read'])
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(HelloJohnApiError);
    expect(error).toMatchObject({ status: 404, code: 'resource_not_found' });
  });
});
