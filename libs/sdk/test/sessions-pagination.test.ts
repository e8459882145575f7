import { createDataPlaneClient, paginate } from '../src/index';

/**
 * @see issue 15 (7): `GET /v1/sessions` pages like every other list; `sessions.list` passes
 * `limit` and `cursor` and still works without them.
 */
describe('dp.sessions.list', () => {
  it('sends limit and cursor, and walks every page with paginate', async () => {
    const urls: string[] = [];
    const pages: Record<string, { data: Array<{ id: string }>; next_cursor: string | null }> = {
      '': { data: [{ id: 's1' }, { id: 's2' }], next_cursor: 'c1' },
      c1: { data: [{ id: 's3' }], next_cursor: null },
    };
    const fetchStub = (async (input: string | URL | Request) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      urls.push(`${url.pathname}${url.search}`);
      const body = pages[url.searchParams.get('cursor') ?? ''];
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

    await dp.sessions.list('at');
    const ids: string[] = [];
    for await (const session of paginate((cursor) =>
      dp.sessions.list('at', { cursor, limit: 2 }),
    )) {
      ids.push(session.id);
    }
    expect(ids).toEqual(['s1', 's2', 's3']);
    expect(urls).toEqual([
      '/t/acme/v1/sessions',
      '/t/acme/v1/sessions?limit=2',
      '/t/acme/v1/sessions?cursor=c1&limit=2',
    ]);
  });
});
