import { tenantApi, type TenantApi, type Tokens } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

jest.setTimeout(60_000);

/**
 * @see issue 15 (7): sessions per user were uncapped and `GET /v1/sessions` unpaginated. Now a
 * user keeps at most `max_sessions_per_user` live sessions (default 50; signing in past it ends
 * the least recently used), and the list pages with `?limit=&cursor=` like every other list.
 */

let system: DpSystem;
let capped: TestTenant;
let api: TenantApi;

beforeAll(async () => {
  system = await startDpSystem();
  capped = await system.createTenant('capped', { max_sessions_per_user: 3 });
  api = tenantApi(system.dp.url, capped);
});
afterAll(async () => {
  await system.close();
});

const db = () => system.dp.deps.pools.get({ tenantId: capped.id, database: { mode: 'managed' } });

interface SessionView {
  id: string;
  current: boolean;
}

async function signInTimes(email: string, times: number): Promise<Tokens[]> {
  const out: Tokens[] = [];
  for (let i = 0; i < times; i += 1) out.push((await api.signIn(email).expect(200)).body as Tokens);
  return out;
}

describe('the session cap', () => {
  it('ends the least recently used sessions past max_sessions_per_user', async () => {
    const { id, email, tokens: first } = await api.newUser('cap');
    const later = await signInTimes(email, 4);
    // Five sign-ins (sign-up included), three kept: the two oldest ended, their tokens refused.
    const live = await db().sessions.listActiveForUser(id);
    expect(live).toHaveLength(3);
    for (const ended of [first, later[0]]) {
      const res = await api.get('/v1/me', ended?.access_token).expect(401);
      expect(res.body.code).toBe('invalid_token');
      await api.refresh(ended?.refresh_token ?? '').expect(401);
    }
    for (const kept of later.slice(1)) await api.get('/v1/me', kept.access_token).expect(200);
    const oldest = await db().sessions.findById(sessionIdOf(first));
    expect(oldest?.revokeReason).toBe('session_limit');
    // Each sign-in past the cap is in the audit log with how many sessions it ended.
    const log = await db().auditLog.list({ limit: 20, userId: id, action: 'session.revoked' });
    expect(log.rows.map((row) => row.details)).toEqual([
      { reason: 'session_limit', count: 1 },
      { reason: 'session_limit', count: 1 },
    ]);
  });

  it('counts sessions per user, not per tenant', async () => {
    const a = await api.newUser('cap-a');
    const b = await api.newUser('cap-b');
    await signInTimes(a.email, 3);
    await api.get('/v1/me', b.tokens.access_token).expect(200);
  });
});

describe('GET /v1/sessions', () => {
  it('pages with limit and cursor, most recently used first, and marks the current one', async () => {
    const { email } = await api.newUser('page');
    const [, , newest] = await signInTimes(email, 3);
    const token = newest?.access_token ?? '';
    const all = await api.get('/v1/sessions', token).expect(200);
    expect(all.body.data).toHaveLength(3);
    expect(all.body.next_cursor).toBeNull();
    expect((all.body.data as SessionView[])[0]).toMatchObject({
      id: sessionIdOf(newest),
      current: true,
    });

    const first = await api.get('/v1/sessions?limit=2', token).expect(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api
      .get(`/v1/sessions?limit=2&cursor=${first.body.next_cursor as string}`, token)
      .expect(200);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
    const paged = [...first.body.data, ...second.body.data].map((s: SessionView) => s.id);
    expect(paged).toEqual((all.body.data as SessionView[]).map((s) => s.id));
  });

  it('answers 400 for a bad limit and invalid_cursor for a forged cursor', async () => {
    const { tokens } = await api.newUser('bad');
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'other=1']) {
      const res = await api.get(`/v1/sessions?${query}`, tokens.access_token).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
    const forged = Buffer.from(JSON.stringify({ t: Date.now(), i: 'x' })).toString('base64url');
    const res = await api.get(`/v1/sessions?cursor=${forged}`, tokens.access_token).expect(400);
    expect(res.body.code).toBe('invalid_cursor');
  });
});

/** The `sid` claim of a pair's access token. */
function sessionIdOf(tokens: Tokens | undefined): string {
  const payload = (tokens?.access_token ?? '').split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid: string }).sid;
}
