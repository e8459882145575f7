import { createDataPlaneClient } from '../src/index';

/**
 * The organization lists page with `limit` and `cursor` (docs/organizations.md): `list` fetches
 * one page and passes its query through, `iterate` follows `next_cursor` until it is null.
 */
describe('dp.organizations pagination', () => {
  function stubbed(
    pages: Record<string, { data: Array<Record<string, string>>; next_cursor: string | null }>,
  ) {
    const urls: string[] = [];
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      urls.push(`${url.pathname}${url.search}`);
      const auth = new Headers(init?.headers).get('authorization');
      if (auth !== 'Bearer at') return new Response(null, { status: 401 });
      const body = pages[`${url.pathname}|${url.searchParams.get('cursor') ?? ''}`];
      if (body === undefined) return new Response(null, { status: 404 });
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    const dp = createDataPlaneClient({
      baseUrl: 'http://dp.test',
      tenant: 'acme',
      fetch: fetchStub,
    });
    return { dp, urls };
  }

  const collect = async <T>(items: AsyncIterable<T>) => {
    const all: T[] = [];
    for await (const item of items) all.push(item);
    return all;
  };

  it('lists one page with limit and cursor, and iterates every page of organizations', async () => {
    const base = '/t/acme/v1/organizations';
    const { dp, urls } = stubbed({
      [`${base}|`]: { data: [{ id: 'o1' }, { id: 'o2' }], next_cursor: 'c1' },
      [`${base}|c1`]: { data: [{ id: 'o3' }, { id: 'o4' }], next_cursor: 'c2' },
      [`${base}|c2`]: { data: [{ id: 'o5' }], next_cursor: null },
    });
    const first = await dp.organizations.list('at', { limit: 2 });
    expect(first.next_cursor).toBe('c1');
    await dp.organizations.list('at', { limit: 2, cursor: 'c1' });
    const all = await collect(dp.organizations.iterate('at', { limit: 2 }));
    expect(all.map((o) => o.id)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    expect(urls).toEqual([
      `${base}?limit=2`,
      `${base}?limit=2&cursor=c1`,
      `${base}?limit=2`,
      `${base}?limit=2&cursor=c1`,
      `${base}?limit=2&cursor=c2`,
    ]);
  });

  it('iterates members and pending invitations page by page', async () => {
    const org = '/t/acme/v1/organizations/org%2F1';
    const { dp, urls } = stubbed({
      [`${org}/members|`]: { data: [{ user_id: 'm1' }], next_cursor: 'm' },
      [`${org}/members|m`]: { data: [{ user_id: 'm2' }], next_cursor: null },
      [`${org}/invitations|`]: { data: [{ id: 'i1' }], next_cursor: 'i' },
      [`${org}/invitations|i`]: { data: [], next_cursor: null },
    });
    const members = await collect(dp.organizations.members.iterate('at', 'org/1', { limit: 1 }));
    expect(members.map((m) => m.user_id)).toEqual(['m1', 'm2']);
    const invitations = await collect(dp.organizations.invitations.iterate('at', 'org/1'));
    expect(invitations.map((i) => i.id)).toEqual(['i1']);
    expect(urls).toEqual([
      `${org}/members?limit=1`,
      `${org}/members?limit=1&cursor=m`,
      `${org}/invitations`,
      `${org}/invitations?cursor=i`,
    ]);
  });
});
