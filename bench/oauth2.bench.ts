/**
 * `npm run bench:oauth2 [-- --quick --services --profile --clients=N]`: OAuth 2.0 machine-to-machine throughput of
 * one data-plane process beside oidc-provider 9 (the reference Node OpenID Provider, in memory)
 * and two ceilings, in one run, under the same load:
 *   (a) client-credentials token requests: HelloJohn (RFC 9068 JWT, EdDSA) vs oidc-provider with
 *       JWT access tokens (EdDSA, through a resource indicator) and with its default opaque ones;
 *   (b) introspection of a valid token: HelloJohn (its JWT) vs oidc-provider (an opaque token:
 *       it does not introspect JWTs);
 *   (c) the ceilings: a bare Express app and HelloJohn's HTTP stack answering constant JSON.
 * HelloJohn runs on the embedded default (SQLite, in-process bus, in-memory limits) or, with
 * `--services` (or HJ_BENCH_SERVICES=1), on PostgreSQL + RabbitMQ + Redis. The load comes from a
 * child process: 32 keep-alive connections, 10 s per phase measured in 5 interleaved slices of 2 s
 * after 2 s of warm-up (`--quick`: 3 s in slices of 1 s after 1 s). Loopback only. Prints a table and the ratios and writes
 * bench/results/oauth2[-services]-<date>.json. With `--profile`, every phase is CPU-profiled
 * (the servers' process only: the load comes from the child) into the temp dir, and no results
 * file is written (the profiler slows what it watches). What the figures mean and the recorded
 * runs: docs/benchmarks.md, "OAuth 2.0 machine-to-machine".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminAuth, createTenant } from './support/control-plane-api';
import { machineFacts } from './support/machine';
import { formatTable } from './support/measure';
import { forkLoadGenerator } from './support/http-load';
import type { LoadRequest } from './support/http-load';
import {
  introspectionRequests,
  jwtHeader,
  obtainTokens,
  registerClients,
  SCOPE,
  SCOPES,
  tokenRequests,
} from './support/oauth2-workload';
import {
  OIDC_PROVIDER_RESOURCE,
  startBareExpress,
  startOidcProvider,
  startStackCeiling,
} from './support/oauth2-references';
import type { RunningServer } from './support/oauth2-references';
import { runRounds } from './support/rounds';
import type { Phase, PhaseRow } from './support/rounds';
import { startServicesBenchSystem } from './support/services-system';
import { startBenchSystem } from './support/start-system';
import type { BenchSystem } from './support/start-system';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--profile');
const SERVICES = args.includes('--services') || process.env.HJ_BENCH_SERVICES === '1';
const CONNECTIONS = 32;
const SECONDS = QUICK ? 3 : 10;
const WARMUP_SECONDS = QUICK ? 1 : 2;
// Profiles are per phase, so a profiled run measures each phase in one go.
const ROUNDS = PROFILE ? 1 : QUICK ? 3 : 5;
/** Before each later slice: new keep-alive connections, and the server back on this path. */
const SLICE_WARMUP_SECONDS = 0.25;
const TTL_SECONDS = 900;
/**
 * Confidential clients, all with client_credentials, each request from the next one. One client
 * would be the purest workload, but HelloJohn limits each client to 120 token requests a minute
 * (docs/oidc.md, "Rate limits"): the limiter stays in the path, and enough clients (as a real
 * fleet of machine clients would be) keep every answer a 200. oidc-provider gets the same clients.
 */
const clientsArg = args.find((arg) => arg.startsWith('--clients='));
const CLIENTS = clientsArg ? Number(clientsArg.slice('--clients='.length)) : QUICK ? 128 : 320;
if (!Number.isInteger(CLIENTS) || CLIENTS < 1) throw new Error('--clients=N takes a count');
const CLIENT_BUDGET_PER_MINUTE = 120;
/**
 * Source addresses (X-Forwarded-For, trusted from loopback, as in bench:auth): the per-address
 * budgets (120 token, 600 introspection requests a minute) are for one abusive host, not for a
 * fleet. 4096 hosts keep each under its budget up to about 8,000 token requests a second.
 */
const ADDRESSES = 4096;

interface Ratio {
  path: string;
  hellojohn: string;
  reference: string;
  /** Requests per second, the first over the second. */
  ratio: number;
  /** CPU per request, the second over the first: the same comparison, robust to other load. */
  cpuRatio: number;
  goal?: number;
}

async function main(): Promise<void> {
  const loadBefore = machineFacts().loadAverage1m;
  const started: RunningServer[] = [];
  let system: BenchSystem | undefined;
  const load = forkLoadGenerator();
  const results: PhaseRow[] = [];
  let store = 'embedded default: SQLite, in-process bus, in-memory rate limits';
  let tokenBytes = 0;
  // Tenants whose database the services system drops at the end (the embedded one removes all).
  let track: (tenantId: string) => void = () => undefined;
  try {
    if (SERVICES) {
      const services = await startServicesBenchSystem();
      system = services;
      track = (tenantId) => {
        services.track(tenantId);
      };
      store = `PostgreSQL (${services.services.postgres}), RabbitMQ (${services.services.rabbitmq}), Redis (${services.services.redis})`;
    } else {
      system = await startBenchSystem();
    }
    const auth = await adminAuth(system.cpUrl);
    const tenant = await createTenant(system.cpUrl, auth, 'bench');
    track(tenant.id);
    const clients = await registerClients(system.cpUrl, auth, tenant.id, CLIENTS);
    const oidcProvider = await startOidcProvider(clients, SCOPES, TTL_SECONDS);
    started.push(oidcProvider);

    const hj = {
      token: `${system.dpUrl}/t/${tenant.slug}/oauth2/token`,
      introspect: `${system.dpUrl}/t/${tenant.slug}/oauth2/introspect`,
    };
    const op = {
      token: `${oidcProvider.url}/token`,
      introspect: `${oidcProvider.url}/token/introspection`,
    };
    // Set-up, not measured: one token per client from each server (this also fills HelloJohn's
    // client cache), and a look at what each answers.
    const hjTokens = await obtainTokens(hj.token, clients);
    tokenBytes = hjTokens.tokens[0]?.length ?? 0;
    const opJwt = await obtainTokens(op.token, clients.slice(0, 1), {
      resource: OIDC_PROVIDER_RESOURCE,
    });
    // Like with like: both sign an RFC 9068 at+jwt with Ed25519.
    for (const [who, token] of [
      ['HelloJohn', hjTokens.tokens[0]],
      ['oidc-provider', opJwt.tokens[0]],
    ] as const) {
      const header = jwtHeader(token);
      if (header.alg !== 'EdDSA' || header.typ !== 'at+jwt') {
        throw new Error(`${who} issued ${JSON.stringify(header)}, not an EdDSA at+jwt`);
      }
    }

    // The ceilings answer HelloJohn's own token answer, byte for byte.
    const bare = await startBareExpress(hjTokens.answer);
    started.push(bare);
    const stack = await startStackCeiling(hjTokens.answer);
    started.push(stack);

    const tokenPhase = (name: string, url: string, requests: LoadRequest[]): Phase => ({
      name,
      url,
      requests: async () => requests,
      expect: '"access_token"',
    });
    const requests = tokenRequests(clients);
    const phases: Phase[] = [
      {
        name: 'ceiling: bare Express, constant JSON',
        url: `${bare.url}/constant`,
        requests: async () => requests,
      },
      tokenPhase('ceiling: HelloJohn HTTP stack, constant JSON', `${stack.url}/token`, requests),
      tokenPhase('HelloJohn token (client_credentials, JWT EdDSA)', hj.token, requests),
      tokenPhase(
        'oidc-provider token (client_credentials, JWT EdDSA)',
        op.token,
        tokenRequests(clients, { resource: OIDC_PROVIDER_RESOURCE }),
      ),
      tokenPhase('oidc-provider token (client_credentials, opaque, stored)', op.token, requests),
      {
        name: 'HelloJohn introspect (JWT, active)',
        url: hj.introspect,
        requests: async () => introspectionRequests(clients, hjTokens.tokens),
        expect: '"active":true',
      },
      {
        name: 'oidc-provider introspect (opaque, active)',
        url: op.introspect,
        // Fresh opaque tokens each time: the opaque token phase pushes older ones out of the
        // adapter's 1000-entry LRU.
        requests: async () =>
          introspectionRequests(clients, (await obtainTokens(op.token, clients)).tokens),
        expect: '"active":true',
      },
    ];
    process.stdout.write(
      `${CLIENTS} clients, ${CONNECTIONS} connections, ${ROUNDS} rounds of ` +
        `${SECONDS / ROUNDS} s per phase (${SECONDS} s each in all), ${WARMUP_SECONDS} s warm-up first\n`,
    );
    results.push(
      ...(await runRounds(load, phases, {
        rounds: ROUNDS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        sliceWarmupSeconds: SLICE_WARMUP_SECONDS,
        connections: CONNECTIONS,
        addresses: ADDRESSES,
        ...(PROFILE ? { profile: { dir: tmpdir(), prefix: 'oauth2-bench' } } : {}),
        onRound: (_round, line) => process.stdout.write(`  ${line}\n`),
      })),
    );
  } finally {
    load.close();
    for (const server of started) await server.close();
    await system?.close();
  }

  const byName = (prefix: string): PhaseRow | undefined =>
    results.find((r) => r.name.startsWith(prefix));
  const [bare, stack, hjToken, opJwtToken, opOpaqueToken, hjIntrospect, opIntrospect] = [
    byName('ceiling: bare'),
    byName('ceiling: HelloJohn'),
    byName('HelloJohn token'),
    byName('oidc-provider token (client_credentials, JWT'),
    byName('oidc-provider token (client_credentials, opaque'),
    byName('HelloJohn introspect'),
    byName('oidc-provider introspect'),
  ];
  const ratios: Ratio[] = [];
  const ratio = (path: string, a?: PhaseRow, b?: PhaseRow, goal?: number): void => {
    if (!a || !b || b.opsPerSecond === 0 || a.serverCpuMicrosPerRequest === 0) return;
    ratios.push({
      path,
      hellojohn: a.name,
      reference: b.name,
      ratio: Number((a.opsPerSecond / b.opsPerSecond).toFixed(2)),
      cpuRatio: Number((b.serverCpuMicrosPerRequest / a.serverCpuMicrosPerRequest).toFixed(2)),
      ...(goal === undefined ? {} : { goal }),
    });
  };
  ratio('client credentials: HelloJohn / oidc-provider (JWT)', hjToken, opJwtToken, 1);
  ratio('client credentials: HelloJohn / oidc-provider (opaque)', hjToken, opOpaqueToken);
  ratio('introspection: HelloJohn (JWT) / oidc-provider (opaque)', hjIntrospect, opIntrospect);
  ratio('HelloJohn token / its HTTP stack ceiling', hjToken, stack);
  ratio('HelloJohn token / bare Express ceiling', hjToken, bare);
  ratio('oidc-provider token (JWT) / bare Express ceiling', opJwtToken, bare);
  ratio('HelloJohn introspect / its HTTP stack ceiling', hjIntrospect, stack);
  ratio('HelloJohn HTTP stack / bare Express', stack, bare);

  const machine = machineFacts();
  const date = new Date().toISOString();
  const phaseOps = hjToken ? hjToken.opsPerSecond * (SECONDS + WARMUP_SECONDS) : 0;
  const report = {
    benchmark: 'oauth2',
    date,
    machine: { ...machine, loadAverage1mBefore: loadBefore },
    hellojohnStore: store,
    oidcProvider: '9, MemoryAdapter (in-process LRU of 1000 entries)',
    connections: CONNECTIONS,
    seconds: SECONDS,
    rounds: ROUNDS,
    warmupSeconds: WARMUP_SECONDS,
    clients: CLIENTS,
    sourceAddresses: ADDRESSES,
    scope: SCOPE,
    accessTokenBytes: tokenBytes,
    results,
    ratios,
  };
  console.log(`\nHelloJohn OAuth 2.0 machine-to-machine bench, ${date}`);
  console.log(`${machine.cpu}, ${machine.cpus} CPUs, Node ${machine.node}, ${machine.platform}`);
  console.log(`HelloJohn on ${store}`);
  console.log(`load average (1 min) before ${loadBefore}, after ${machine.loadAverage1m}\n`);
  console.log(formatTable(results));
  console.log(
    '\nCPU: servers (this process) µs per request, % of one core / load generator (child) %',
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(56)} ${String(r.serverCpuMicrosPerRequest).padStart(4)} µs, ` +
        `${r.serverCpuPercent}% / ${r.clientCpuPercent}%`,
    );
    if (r.errors > 0) console.log(`    failures ${JSON.stringify(r.failures)}: ${r.firstFailure}`);
  }
  console.log('');
  for (const r of ratios) {
    const verdict =
      r.goal === undefined ? '' : r.ratio >= r.goal ? '  (goal met)' : '  (BELOW GOAL)';
    const goal = r.goal === undefined ? '' : `   goal >= ${r.goal.toFixed(1)}`;
    console.log(
      `${r.path.padEnd(58)} ${r.ratio.toFixed(2)}  (by CPU per request ${r.cpuRatio.toFixed(2)})` +
        `${goal}${verdict}`,
    );
  }
  if (phaseOps > CLIENTS * CLIENT_BUDGET_PER_MINUTE) {
    console.log(
      `\nnote: ~${Math.round(phaseOps)} token requests in one phase over ${CLIENTS} clients can exceed their ${CLIENT_BUDGET_PER_MINUTE}/min budgets; raise CLIENTS if 429s show up.`,
    );
  }
  if (PROFILE) {
    console.log(`\nCPU profiles in ${tmpdir()}/oauth2-bench-*.cpuprofile`);
    console.log('profiled run: no results file written (the profiler slows what it watches)');
    return;
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `oauth2${SERVICES ? '-services' : ''}-${date.slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
