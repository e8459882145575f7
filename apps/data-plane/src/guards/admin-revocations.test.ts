import { AppError, createLogger } from '@hellojohn/http';
import type { AdminRevocation, ControlPlaneOperatorsClient } from '../tenancy/control-plane-client';
import { createAdminRevocations } from './admin-revocations';

const logger = createLogger({ name: 'admin-revocations-test', level: 'silent' });
const TTL_MS = 900_000;

function fakeControlPlane(rows: AdminRevocation[] = []) {
  const state = { rows, down: false, loads: 0 };
  const client: ControlPlaneOperatorsClient = {
    async verifyApiKey() {
      return undefined;
    },
    async listAdminRevocations() {
      state.loads += 1;
      if (state.down) throw new Error('connection refused');
      return state.rows;
    },
  };
  return { state, client };
}

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof AppError ? error.code : 'not an AppError'),
  );

describe('createAdminRevocations', () => {
  let now = Date.parse('2026-12-10T20:00:00Z');
  const clock = () => now;
  const at = (offsetMs: number) => Math.floor((now + offsetMs) / 1000);

  it('refuses tokens issued up to a revocation, not those issued after', async () => {
    const cp = fakeControlPlane();
    const list = createAdminRevocations({
      client: cp.client,
      tokenTtlMs: TTL_MS,
      logger,
      now: clock,
    });
    await list.load();
    list.revoke('admin-1', undefined, new Date(now));
    expect(await codeOf(list.check({ sub: 'admin-1', iat: at(-60_000) }))).toBe('invalid_token');
    expect(await codeOf(list.check({ sub: 'admin-1', iat: at(2_000) }))).toBeUndefined();
    expect(await codeOf(list.check({ sub: 'admin-2', iat: at(-60_000) }))).toBeUndefined();
  });

  it('refuses every token of an ended session', async () => {
    const cp = fakeControlPlane();
    const list = createAdminRevocations({
      client: cp.client,
      tokenTtlMs: TTL_MS,
      logger,
      now: clock,
    });
    await list.load();
    list.revoke('admin-1', 'session-1', new Date(now));
    expect(await codeOf(list.check({ sub: 'admin-1', sid: 'session-1', iat: at(5_000) }))).toBe(
      'invalid_token',
    );
    expect(
      await codeOf(list.check({ sub: 'admin-1', sid: 'session-2', iat: at(0) })),
    ).toBeUndefined();
  });

  it('loads what it missed from the control plane, and fails closed until it could', async () => {
    const cp = fakeControlPlane([
      { admin_id: 'admin-9', session_id: null, revoked_at: new Date(now).toISOString() },
    ]);
    cp.state.down = true;
    const list = createAdminRevocations({
      client: cp.client,
      tokenTtlMs: TTL_MS,
      logger,
      now: clock,
    });
    expect(await list.load()).toBe(false);
    expect(await codeOf(list.check({ sub: 'admin-1', iat: at(0) }))).toBe('service_unavailable');
    cp.state.down = false;
    now += 5_000;
    expect(await codeOf(list.check({ sub: 'admin-9', iat: at(-10_000) }))).toBe('invalid_token');
    expect(await codeOf(list.check({ sub: 'admin-1', iat: at(0) }))).toBeUndefined();
  });
});
