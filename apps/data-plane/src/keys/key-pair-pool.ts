import { generateSigningKeyPair, type SigningAlg, type SigningKeyPair } from '@hellojohn/tokens';

/**
 * Key pairs generated ahead of need, so provisioning a tenant does not wait for RSA-2048
 * (tens to hundreds of ms of CPU). Each pair is handed out once; what is taken is replaced in the
 * background, one generation at a time per algorithm so a refill never competes with requests
 * for more than one thread. Filling starts on first use: a replica that never provisions never
 * pays for it.
 */
export interface KeyPairPool {
  /** A fresh pair of `alg`: a pooled one when ready, else one generated now. */
  take(alg: SigningAlg): Promise<SigningKeyPair>;
  /** Pairs of `alg` ready now (metrics, tests). */
  ready(alg: SigningAlg): number;
  /** Drops the ready pairs and stops refilling. */
  close(): void;
}

export interface KeyPairPoolOptions {
  /** The algorithms worth pooling (the slow ones); others are generated on demand. */
  algs: readonly SigningAlg[];
  /** Pairs kept ready per algorithm. */
  size: number;
  /** Default `generateSigningKeyPair` (tests inject a counter). */
  generate?: (alg: SigningAlg) => Promise<SigningKeyPair>;
  /** Told when a background generation fails (the next take generates on demand). */
  onError?: (error: unknown) => void;
}

/**
 * @example
 * const pool = createKeyPairPool({ algs: ['RS256'], size: 4 });
 * const pair = await pool.take('RS256');
 */
export function createKeyPairPool(options: KeyPairPoolOptions): KeyPairPool {
  if (!Number.isInteger(options.size) || options.size < 0) {
    throw new RangeError('size must be a non-negative integer');
  }
  const generate = options.generate ?? generateSigningKeyPair;
  const ready = new Map<SigningAlg, SigningKeyPair[]>(options.algs.map((alg) => [alg, []]));
  const refilling = new Set<SigningAlg>();
  let closed = false;

  /** Generates one pair at a time until `alg` has `size` ready. */
  function refill(alg: SigningAlg): void {
    const pairs = ready.get(alg);
    if (closed || !pairs || refilling.has(alg) || pairs.length >= options.size) return;
    refilling.add(alg);
    generate(alg).then(
      (pair) => {
        refilling.delete(alg);
        if (closed) return;
        pairs.push(pair);
        refill(alg);
      },
      (error: unknown) => {
        // No retry loop: the next take generates on demand and starts a refill again.
        refilling.delete(alg);
        options.onError?.(error);
      },
    );
  }

  return {
    take(alg) {
      const pair = ready.get(alg)?.shift();
      // The caller's own generation starts first when none is ready; the refill goes behind it.
      const taken = pair ? Promise.resolve(pair) : generate(alg);
      refill(alg);
      return taken;
    },
    ready: (alg) => ready.get(alg)?.length ?? 0,
    close() {
      closed = true;
      for (const pairs of ready.values()) pairs.length = 0;
    },
  };
}
