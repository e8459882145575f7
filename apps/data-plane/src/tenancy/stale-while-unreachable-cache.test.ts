import { AppError } from '@hellojohn/http';
import { createStaleWhileUnreachableCache } from './stale-while-unreachable-cache';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source that counts its reads and answers `{ version }`, or fails while `down`. */
function source() {
  const state = { reads: 0, version: 1, down: false };
  const read = async () => {
    state.reads += 1;
    if (state.down) throw new Error('unreachable');
    return { version: state.version };
  };
  return { state, read };
}

describe('stale-while-unreachable cache', () => {
  it('answers a fresh value without reading again', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({ unavailable: 'x' });
    const { state, read } = source();
    expect(await cache.get('k', read)).toEqual({ version: 1 });
    expect(await cache.get('k', read)).toEqual({ version: 1 });
    expect(state.reads).toBe(1);
  });

  it('just past fresh, answers the known value at once and refreshes it behind the request', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({
      unavailable: 'x',
      ttlMs: 20,
      revalidateMs: 60_000,
    });
    const { state, read } = source();
    await cache.get('k', read);
    state.version = 2;
    await sleep(40);
    // Two requests at once: both get the known value, one background read starts.
    const [a, b] = await Promise.all([cache.get('k', read), cache.get('k', read)]);
    expect([a, b]).toEqual([{ version: 1 }, { version: 1 }]);
    await sleep(5);
    expect(state.reads).toBe(2);
    expect(await cache.get('k', read)).toEqual({ version: 2 });
  });

  it('past the revalidation window, a request waits for the read', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({
      unavailable: 'x',
      ttlMs: 10,
      revalidateMs: 10,
    });
    const { state, read } = source();
    await cache.get('k', read);
    state.version = 2;
    await sleep(60);
    expect(await cache.get('k', read)).toEqual({ version: 2 });
  });

  it('a failed background refresh keeps the known value and never rejects a request', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({
      unavailable: 'x',
      ttlMs: 10,
      revalidateMs: 60_000,
    });
    const { state, read } = source();
    await cache.get('k', read);
    state.down = true;
    await sleep(30);
    expect(await cache.get('k', read)).toEqual({ version: 1 });
    await sleep(5);
    expect(await cache.get('k', read)).toEqual({ version: 1 });
  });

  it('without a known value, an unreachable source is 503 service_unavailable', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({ unavailable: 'x' });
    const { state, read } = source();
    state.down = true;
    const error = await cache.get('k', read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('service_unavailable');
  });

  it('a deletion makes the next request read again', async () => {
    const cache = createStaleWhileUnreachableCache<{ version: number }>({ unavailable: 'x' });
    const { state, read } = source();
    await cache.get('k', read);
    state.version = 2;
    cache.delete('k');
    expect(await cache.get('k', read)).toEqual({ version: 2 });
  });
});
