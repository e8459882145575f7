/**
 * `npm run bench:auth`: what one data-plane process sustains on this machine for the hot paths of
 * authentication, beside the raw cost of the cryptography underneath, measured in one run:
 *   (a) sign-in over HTTP at bcrypt cost 10  vs  raw bcrypt.compare at cost 10;
 *   (b) refresh-token rotation over HTTP;
 *   (c) local verification of one access token: SDK verifier / jose jwtVerify  vs  raw Ed25519.
 * Loopback only; every phase is bounded in time and count. Prints a table and writes
 * bench/results/auth-<date>.json. See bench/README.md and docs/benchmarks.md.
 */
import { createPublicKey, verify as ed25519Verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { importJWK, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { createTokenVerifier } from '@hellojohn/sdk';
import { adminAuth, createTenant, json } from './support/control-plane-api';
import { machineFacts } from './support/machine';
import { formatTable, runPhase, runSyncPhase } from './support/measure';
import type { PhaseResult } from './support/measure';
import { startBenchSystem } from './support/start-system';

const BCRYPT_COST = 10;
const USERS = 64;
const PASSWORD = 'bench password that is long enough';
// Enough requests in flight to keep libuv's bcrypt threads (4 by default) and the event loop busy.
const CONCURRENCY = 8;

// RFC 2544 reserves 198.18.0.0/15 for benchmarks. Each request comes "from" its own address
// (X-Forwarded-For, trusted from loopback), as real users do, so the per-IP rate limits meant
// for one abusive address do not cap the measurement.
let nextAddress = 0;
function clientAddress(): string {
  const n = nextAddress++ % 131_072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(), ...headers },
    body: JSON.stringify(body),
  });
}

async function main(): Promise<void> {
  const loadBefore = machineFacts().loadAverage1m;
  const system = await startBenchSystem({ HJ_BCRYPT_COST: String(BCRYPT_COST) });
  const results: PhaseResult[] = [];
  try {
    const tenant = await createTenant(system.cpUrl, await adminAuth(system.cpUrl), 'bench', {
      bcrypt_cost: BCRYPT_COST,
    });
    const base = `${system.dpUrl}/t/bench/v1/auth`;
    const emails = Array.from({ length: USERS }, (_, i) => `user${i}@bench.example`);

    // Set-up, not measured: the users sign up (each a bcrypt hash at cost 10). Each user's newest
    // refresh token is kept for phase (b).
    const refreshTokens: string[] = [];
    let accessToken = '';
    const setup = await runPhase(
      'setup: sign-up',
      { maxSeconds: 120, maxOps: USERS, concurrency: CONCURRENCY },
      async (i) => {
        const res = await post(`${base}/sign-up`, { email: emails[i], password: PASSWORD });
        if (!res.ok) return false;
        refreshTokens[i] = ((await res.json()) as Tokens).refresh_token;
        return true;
      },
    );
    if (setup.ops !== USERS) throw new Error(`only ${setup.ops} of ${USERS} users signed up`);

    // (a) sign-in over HTTP, then raw bcrypt.compare at the same cost and concurrency.
    results.push(
      await runPhase(
        `sign-in over HTTP (bcrypt ${BCRYPT_COST})`,
        { maxSeconds: 8, maxOps: USERS * 15, concurrency: CONCURRENCY },
        async (i) => {
          const user = i % USERS;
          const res = await post(`${base}/sign-in`, { email: emails[user], password: PASSWORD });
          if (!res.ok) return false;
          const tokens = (await res.json()) as Tokens;
          refreshTokens[user] = tokens.refresh_token;
          accessToken = tokens.access_token;
          return true;
        },
      ),
    );
    const hash = await bcrypt.hash(PASSWORD, BCRYPT_COST);
    results.push(
      await runPhase(
        `raw bcrypt.compare (cost ${BCRYPT_COST})`,
        { maxSeconds: 6, maxOps: 2000, concurrency: CONCURRENCY },
        () => bcrypt.compare(PASSWORD, hash),
      ),
    );

    // (b) refresh rotation: each worker owns every CONCURRENCY-th user, so no token is raced.
    const spent = new Array<number>(CONCURRENCY).fill(0);
    results.push(
      await runPhase(
        'refresh over HTTP (rotation)',
        { maxSeconds: 6, maxOps: 20_000, concurrency: CONCURRENCY },
        async (_i, worker) => {
          const owned = Math.floor(USERS / CONCURRENCY);
          const round = spent[worker] ?? 0;
          spent[worker] = round + 1;
          const user = worker + CONCURRENCY * (round % owned);
          const res = await post(`${base}/refresh`, { refresh_token: refreshTokens[user] });
          if (!res.ok) return false;
          refreshTokens[user] = ((await res.json()) as Tokens).refresh_token;
          return true;
        },
      ),
    );

    // (c) local verification of one real access token.
    const verifier = createTokenVerifier({ tenantUrl: tenant.issuer, audience: tenant.issuer });
    await verifier.verify(accessToken); // warms the JWKS cache: the loop below never fetches
    results.push(
      await runPhase(
        'SDK createTokenVerifier().verify',
        { maxSeconds: 4, maxOps: 200_000, concurrency: CONCURRENCY },
        async () => (await verifier.verify(accessToken)).sub.length > 0,
      ),
    );
    const jwks = await json<{ keys: JWK[] }>(
      await fetch(`${tenant.issuer}/.well-known/jwks.json`),
      'jwks',
    );
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const jwk = jwks.keys.find((key) => key.kid === kid);
    if (!jwk) throw new Error('the token kid is not in the JWKS');
    const cryptoKey = await importJWK(jwk, 'EdDSA');
    results.push(
      await runPhase(
        'jose jwtVerify (imported key)',
        { maxSeconds: 4, maxOps: 200_000, concurrency: CONCURRENCY },
        async () => {
          const { payload: claims } = await jwtVerify(accessToken, cryptoKey, {
            issuer: tenant.issuer,
            audience: tenant.issuer,
            typ: 'at+jwt',
            algorithms: ['EdDSA'],
          });
          return typeof claims.sub === 'string';
        },
      ),
    );
    const publicKey = createPublicKey({ key: { ...jwk } as JsonWebKey, format: 'jwk' });
    const signingInput = Buffer.from(`${header}.${payload}`);
    const signatureBytes = Buffer.from(signature, 'base64url');
    results.push(
      runSyncPhase(
        'raw Ed25519 crypto.verify (same bytes)',
        { maxSeconds: 4, maxOps: 2_000_000 },
        () => ed25519Verify(null, signingInput, publicKey, signatureBytes),
      ),
    );
  } finally {
    await system.close();
  }

  const machine = machineFacts();
  const date = new Date().toISOString();
  const report = {
    benchmark: 'auth',
    date,
    machine: { ...machine, loadAverage1mBefore: loadBefore },
    bcryptCost: BCRYPT_COST,
    users: USERS,
    results,
  };
  console.log(`\nHelloJohn auth bench, ${date}`);
  console.log(`${machine.cpu}, ${machine.cpus} CPUs, Node ${machine.node}, ${machine.platform}`);
  console.log(`load average (1 min) before ${loadBefore}, after ${machine.loadAverage1m}\n`);
  console.log(formatTable(results));
  const [signIn, rawBcrypt, , sdk, , rawEd] = results;
  if (signIn && rawBcrypt && sdk && rawEd) {
    console.log(
      `\nsign-in / raw bcrypt: ${(signIn.opsPerSecond / rawBcrypt.opsPerSecond).toFixed(2)}` +
        `   SDK verify / raw Ed25519: ${(sdk.opsPerSecond / rawEd.opsPerSecond).toFixed(2)}`,
    );
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `auth-${date.slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
