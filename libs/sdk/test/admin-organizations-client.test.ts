import { createDataPlaneClient, HelloJohnApiError } from '../src/index';

interface Call {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/** A data-plane client over a fetch stub that records each call and answers `status`. */
function recordingClient(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers);
    const call: Call = {
      method: init?.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const { status, body } = answer(call);
    if (status === 204) return new Response(null, { status });
    const type = status < 400 ? 'application/json' : 'application/problem+json';
    return new Response(JSON.stringify(body ?? {}), { status, headers: { 'content-type': type } });
  }) as typeof fetch;
  const dp = createDataPlaneClient({ baseUrl: 'http://dp.test', tenant: 'acme', fetch: fetchStub });
  return { dp, calls };
}

describe('dp.admin.organizations and dp.admin.users.sessions', () => {
  it('send the admin token, the documented paths and bodies', async () => {
    const { dp, calls } = recordingClient((call) => ({
      status: call.method === 'DELETE' ? 204 : 200,
      body: { data: [], next_cursor: null },
    }));
    const orgs = dp.admin.organizations;
    await orgs.list('cp', { search: 'acme', limit: 10 });
    await orgs.create('cp', { name: 'Acme', slug: 'acme', owner_user_id: 'u1' });
    await orgs.get('cp', 'acme');
    await orgs.update('cp', 'o/1', { metadata: { plan: 'gold' } });
    await orgs.remove('cp', 'acme');
    await orgs.members.list('cp', 'acme', { cursor: 'c1' });
    await orgs.members.put('cp', 'acme', 'u2', 'admin');
    await orgs.members.remove('cp', 'acme', 'u2');
    await orgs.invitations.list('cp', 'acme');
    await orgs.invitations.revoke('cp', 'acme', 'i1');
    await dp.admin.users.sessions.list('cp', 'u1', { limit: 5 });
    await dp.admin.users.sessions.revoke('cp', 'u1', 's1');

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /t/acme/v1/admin/organizations?search=acme&limit=10',
      'POST /t/acme/v1/admin/organizations',
      'GET /t/acme/v1/admin/organizations/acme',
      'PATCH /t/acme/v1/admin/organizations/o%2F1',
      'DELETE /t/acme/v1/admin/organizations/acme',
      'GET /t/acme/v1/admin/organizations/acme/members?cursor=c1',
      'PUT /t/acme/v1/admin/organizations/acme/members/u2',
      'DELETE /t/acme/v1/admin/organizations/acme/members/u2',
      'GET /t/acme/v1/admin/organizations/acme/invitations',
      'DELETE /t/acme/v1/admin/organizations/acme/invitations/i1',
      'GET /t/acme/v1/admin/users/u1/sessions?limit=5',
      'DELETE /t/acme/v1/admin/users/u1/sessions/s1',
    ]);
    expect(new Set(calls.map((c) => c.authorization))).toEqual(new Set(['Bearer cp']));
    expect(calls[1]?.body).toEqual({ name: 'Acme', slug: 'acme', owner_user_id: 'u1' });
    expect(calls[3]?.body).toEqual({ metadata: { plan: 'gold' } });
    expect(calls[6]?.body).toEqual({ role: 'admin' });
  });

  it('throws the 409 last_owner problem as a HelloJohnApiError', async () => {
    const { dp } = recordingClient(() => ({
      status: 409,
      body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'last_owner' },
    }));
    const error: unknown = await dp.admin.organizations.members
      .remove('cp', 'acme', 'u1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelloJohnApiError);
    expect(error).toMatchObject({ status: 409, code: 'last_owner' });
  });
});
