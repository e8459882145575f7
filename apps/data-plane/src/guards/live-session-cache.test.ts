import type { SessionRow, TenantDb } from '@hellojohn/dal';
import { createLiveSessionCache } from './live-session-cache';
import { markSessionRevoked } from '../tenancy/session-revocation-marks';

/** A tenant database whose one table is the sessions given, counting the reads. */
function fakeDb(tenantId: string, sessions: Map<string, Partial<SessionRow>>) {
  const reads = { count: 0 };
  const db = {
    tenantId,
    sessions: {
      async findById(id: string) {
        reads.count++;
        return sessions.get(id) as SessionRow | undefined;
      },
    },
  } as unknown as TenantDb;
  return { db, reads };
}

const live = (userId: string, browserSessionId: string | null = null): Partial<SessionRow> => ({
  userId,
  browserSessionId,
  revokedAt: null,
  expiresAt: new Date(Date.now() + 3_600_000),
});

describe('createLiveSessionCache', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = Date.now();
  });

  it('reads a live session once per ttl and checks its owner every time', async () => {
    const sessions = new Map([['s1', live('u1')]]);
    const { db, reads } = fakeDb('t-owner', sessions);
    const cache = createLiveSessionCache({ ttlMs: 5_000, now });
    expect(await cache.isLive(db, 's1', 'u1')).toBe(true);
    expect(await cache.isLive(db, 's1', 'u1')).toBe(true);
    expect(await cache.isLive(db, 's1', 'someone-else')).toBe(false);
    expect(reads.count).toBe(1);
    clock += 5_000;
    expect(await cache.isLive(db, 's1', 'u1')).toBe(true);
    expect(reads.count).toBe(2);
  });

  it('reads again at once when the session is marked revoked on this replica', async () => {
    const sessions = new Map([['s2', live('u1')]]);
    const { db, reads } = fakeDb('t-marked', sessions);
    const cache = createLiveSessionCache({ now });
    expect(await cache.isLive(db, 's2', 'u1')).toBe(true);
    sessions.set('s2', { ...live('u1'), revokedAt: new Date(clock) });
    markSessionRevoked('t-marked', 's2', clock);
    expect(await cache.isLive(db, 's2', 'u1')).toBe(false);
    expect(reads.count).toBe(2);
  });

  it('does not cache a session found live while a revocation of it is under way', async () => {
    const sessions = new Map([['s3', live('u1')]]);
    const { db, reads } = fakeDb('t-pending', sessions);
    const cache = createLiveSessionCache({ now });
    // The revoking transaction recorded its event but has not committed: the row still reads live.
    markSessionRevoked('t-pending', 's3', clock);
    expect(await cache.isLive(db, 's3', 'u1')).toBe(true);
    expect(await cache.isLive(db, 's3', 'u1')).toBe(true);
    expect(reads.count).toBe(2);
    sessions.set('s3', { ...live('u1'), revokedAt: new Date(clock) });
    expect(await cache.isLive(db, 's3', 'u1')).toBe(false);
  });

  it('drops a session started from a browser session marked revoked', async () => {
    const sessions = new Map([['child', live('u1', 'browser')]]);
    const { db, reads } = fakeDb('t-browser', sessions);
    const cache = createLiveSessionCache({ now });
    expect(await cache.isLive(db, 'child', 'u1')).toBe(true);
    sessions.set('child', { ...live('u1', 'browser'), revokedAt: new Date(clock) });
    markSessionRevoked('t-browser', 'browser', clock);
    expect(await cache.isLive(db, 'child', 'u1')).toBe(false);
    expect(reads.count).toBe(2);
  });

  it('ends a cached session at its expiry and never caches a dead one', async () => {
    const sessions = new Map<string, Partial<SessionRow>>([
      ['s4', { ...live('u1'), expiresAt: new Date(clock + 1_000) }],
    ]);
    const { db, reads } = fakeDb('t-expiry', sessions);
    const cache = createLiveSessionCache({ now });
    expect(await cache.isLive(db, 's4', 'u1')).toBe(true);
    clock += 1_000;
    expect(await cache.isLive(db, 's4', 'u1')).toBe(false);
    expect(await cache.isLive(db, 'unknown', 'u1')).toBe(false);
    expect(await cache.isLive(db, 'unknown', 'u1')).toBe(false);
    expect(reads.count).toBe(4);
  });

  it('keeps sessions of different tenants apart and at most maxEntries', async () => {
    const one = fakeDb('t-a', new Map([['s', live('u1')]]));
    const two = fakeDb('t-b', new Map([['s', live('u2')]]));
    const cache = createLiveSessionCache({ now, maxEntries: 1 });
    expect(await cache.isLive(one.db, 's', 'u1')).toBe(true);
    expect(await cache.isLive(two.db, 's', 'u1')).toBe(false);
    // t-b's entry pushed t-a's out.
    expect(await cache.isLive(one.db, 's', 'u1')).toBe(true);
    expect(one.reads.count).toBe(2);
  });

  it('fails the check when the database cannot be read (nothing cached)', async () => {
    const db = {
      tenantId: 't-down',
      sessions: { findById: () => Promise.reject(new Error('database down')) },
    } as unknown as TenantDb;
    await expect(createLiveSessionCache().isLive(db, 's', 'u1')).rejects.toThrow('database down');
  });
});
