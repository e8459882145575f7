import { AppError } from '@hellojohn/http';
import type { ControlPlaneOperatorsClient, VerifiedApiKey } from '../tenancy/control-plane-client';
import { createApiKeyVerifier } from './api-key-verifier';

const KEY = `hjk_${'k'.repeat(43)}`;
const GRANT: VerifiedApiKey = { id: 'key-1', role: 'viewer', tenants: '*', valid_until: null };

/** A control plane the test answers for, counting the questions. */
function fakeControlPlane() {
  const state = { answer: GRANT as VerifiedApiKey | undefined, down: false, asked: 0 };
  const client: ControlPlaneOperatorsClient = {
    async verifyApiKey() {
      state.asked += 1;
      if (state.down) throw new Error('connection refused');
      return state.answer;
    },
    async listAdminRevocations() {
      return [];
    },
  };
  return { state, client };
}

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof AppError ? error.code : 'not an AppError'),
  );

describe('createApiKeyVerifier', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('asks once, then answers from the cache until it is stale', async () => {
    const cp = fakeControlPlane();
    const keys = createApiKeyVerifier({ client: cp.client, now: clock });
    await expect(keys.verify(KEY, null)).resolves.toEqual(GRANT);
    await keys.verify(KEY, null);
    expect(cp.state.asked).toBe(1);
    now += 30_000;
    await keys.verify(KEY, null);
    expect(cp.state.asked).toBe(2);
  });

  it('drops a revoked key at once, and refuses an answer asked for before the revocation', async () => {
    const cp = fakeControlPlane();
    const keys = createApiKeyVerifier({ client: cp.client, now: clock });
    await keys.verify(KEY, null);
    keys.revoke(GRANT.id);
    cp.state.answer = undefined;
    expect(await codeOf(keys.verify(KEY, null))).toBe('invalid_token');

    // A check in flight when the revocation lands must not bring the key back.
    const slow = fakeControlPlane();
    let release: (() => void) | undefined;
    const client: ControlPlaneOperatorsClient = {
      ...slow.client,
      verifyApiKey: () =>
        new Promise((resolve) => {
          release = () => {
            resolve(GRANT);
          };
        }),
    };
    const racing = createApiKeyVerifier({ client, now: clock });
    const pending = racing.verify(KEY, null);
    racing.revoke(GRANT.id);
    release?.();
    expect(await codeOf(pending)).toBe('invalid_token');
  });

  it('fails closed while the control plane is away, but for keys it confirmed recently', async () => {
    const cp = fakeControlPlane();
    const keys = createApiKeyVerifier({ client: cp.client, now: clock });
    await keys.verify(KEY, null);
    cp.state.down = true;
    now += 60_000;
    await expect(keys.verify(KEY, null)).resolves.toEqual(GRANT);
    expect(await codeOf(keys.verify(`hjk_${'u'.repeat(43)}`, null))).toBe('service_unavailable');
    now += 5 * 60_000;
    expect(await codeOf(keys.verify(KEY, null))).toBe('service_unavailable');
  });

  it('honours valid_until (an expiry or a rotation overlap) between checks', async () => {
    const cp = fakeControlPlane();
    cp.state.answer = { ...GRANT, valid_until: new Date(now + 10_000).toISOString() };
    const keys = createApiKeyVerifier({ client: cp.client, now: clock });
    await keys.verify(KEY, null);
    now += 10_000;
    expect(await codeOf(keys.verify(KEY, null))).toBe('invalid_token');
  });

  it('remembers an unknown key briefly, so guessing does not hammer the control plane', async () => {
    const cp = fakeControlPlane();
    cp.state.answer = undefined;
    const keys = createApiKeyVerifier({ client: cp.client, now: clock });
    expect(await codeOf(keys.verify(KEY, null))).toBe('invalid_token');
    expect(await codeOf(keys.verify(KEY, null))).toBe('invalid_token');
    expect(cp.state.asked).toBe(1);
    now += 5_000;
    cp.state.answer = GRANT;
    await expect(keys.verify(KEY, null)).resolves.toEqual(GRANT);
  });
});
