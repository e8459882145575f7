import { generateKeyPairSync } from 'node:crypto';
import type { SigningAlg, SigningKeyPair } from '@hellojohn/tokens';
import { createKeyPairPool } from './key-pair-pool';

/** A generator whose generations finish when the test says, counting them. */
function manualGenerator() {
  const pending: { alg: SigningAlg; resolve: (pair: SigningKeyPair) => void }[] = [];
  let made = 0;
  return {
    generate: (alg: SigningAlg) =>
      new Promise<SigningKeyPair>((resolve) => {
        pending.push({ alg, resolve });
      }),
    /** Completes the oldest generation with a fresh Ed25519 pair (the shape is all that counts). */
    finishOne(): void {
      const next = pending.shift();
      if (!next) throw new Error('no generation in flight');
      made += 1;
      next.resolve({ alg: next.alg, ...generateKeyPairSync('ed25519') });
    },
    get inFlight() {
      return pending.length;
    },
    get made() {
      return made;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('key pair pool', () => {
  it('fills on first use, one generation at a time, up to its size', async () => {
    const gen = manualGenerator();
    const pool = createKeyPairPool({ algs: ['RS256'], size: 2, generate: gen.generate });
    expect(gen.inFlight).toBe(0);
    // Empty: the first take generates on demand, and a background refill starts beside it.
    const first = pool.take('RS256');
    expect(gen.inFlight).toBe(2);
    gen.finishOne();
    gen.finishOne();
    await first;
    await settle();
    // One background generation at a time, until the pool holds `size`.
    for (let i = 0; i < 5; i += 1) {
      if (gen.inFlight === 0) break;
      expect(gen.inFlight).toBe(1);
      gen.finishOne();
      await settle();
    }
    expect(pool.ready('RS256')).toBe(2);
    expect(gen.inFlight).toBe(0);
    pool.close();
  });

  it('hands each pair out once and refills what is taken', async () => {
    const gen = manualGenerator();
    const pool = createKeyPairPool({ algs: ['RS256'], size: 2, generate: gen.generate });
    const seed = pool.take('RS256');
    while (gen.inFlight > 0) {
      gen.finishOne();
      await settle();
    }
    await seed;
    expect(pool.ready('RS256')).toBe(2);
    const [a, b] = [await pool.take('RS256'), await pool.take('RS256')];
    expect(a).not.toBe(b);
    expect(a.privateKey.equals(b.privateKey)).toBe(false);
    // Both came from the pool; the refill behind them is bounded to one in flight.
    expect(gen.inFlight).toBe(1);
    pool.close();
  });

  it('generates algorithms it does not pool on demand, without a refill', async () => {
    const gen = manualGenerator();
    const pool = createKeyPairPool({ algs: ['RS256'], size: 4, generate: gen.generate });
    const pair = pool.take('EdDSA');
    expect(gen.inFlight).toBe(1);
    gen.finishOne();
    expect((await pair).alg).toBe('EdDSA');
    await settle();
    expect(gen.inFlight).toBe(0);
    expect(pool.ready('EdDSA')).toBe(0);
    pool.close();
  });

  it('stops refilling once closed and keeps nothing', async () => {
    const gen = manualGenerator();
    const pool = createKeyPairPool({ algs: ['RS256'], size: 3, generate: gen.generate });
    const pair = pool.take('RS256');
    pool.close();
    gen.finishOne();
    gen.finishOne();
    await pair;
    await settle();
    expect(gen.inFlight).toBe(0);
    expect(pool.ready('RS256')).toBe(0);
  });

  it('survives a failed background generation (the next take generates on demand)', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const pool = createKeyPairPool({
      algs: ['RS256'],
      size: 1,
      generate: (alg) => {
        calls += 1;
        // The on-demand generation succeeds; the background one fails.
        if (calls === 2) return Promise.reject(new Error('no entropy today'));
        return Promise.resolve({ alg, ...generateKeyPairSync('ed25519') });
      },
      onError: (error) => errors.push(error),
    });
    await pool.take('RS256');
    await settle();
    expect(errors).toHaveLength(1);
    expect(pool.ready('RS256')).toBe(0);
    await pool.take('RS256');
    await settle();
    expect(pool.ready('RS256')).toBe(1);
    pool.close();
  });

  it('refuses a negative size', () => {
    expect(() => createKeyPairPool({ algs: ['RS256'], size: -1 })).toThrow(RangeError);
  });
});
