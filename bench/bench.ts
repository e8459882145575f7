/**
 * `npm run bench [-- --quick --only=embedded|services --profile]`: every hot path of issue 16
 * beside its ceiling measured in the same run, on the embedded default (SQLite, in-process bus,
 * in-memory limits) and on PostgreSQL + Redis + RabbitMQ, with the ratio and whether its goal is
 * met. Both planes, the ceilings and oidc-provider run in this process on loopback; the HTTP load
 * comes from autocannon in a child process (bench/support/http-load.ts). Every phase is measured
 * in interleaved slices (bench/support/rounds.ts) so load from elsewhere falls on a path and its
 * ceiling alike. Prints the table and writes bench/results/bench[-quick]-<date>.json with the
 * machine facts; with `--profile`, a CPU profile of the servers' process per phase and slice goes
 * to a temp dir instead (no results file: the profiler slows what it watches). Paths, ceilings and
 * goals: bench/README.md and docs/benchmarks.md, "All hot paths".
 */
import { createPublicKey, verify as ed25519Verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { adminAuth, createTenant, json, jsonPost } from './support/control-plane-api';
import { judge, formatVerdicts } from './support/goals';
import type { GoalRow, Verdict } from './support/goals';
import { forkLoadGenerator } from './support/http-load';
import type { LoadGenerator, LoadRequest } from './support/http-load';
import { machineFacts } from './support/machine';
import { runSyncPhase } from './support/measure';
import type { PhaseResult } from './support/measure';
import {
  OIDC_PROVIDER_RESOURCE,
  startBareExpress,
  startOidcProvider,
} from './support/oauth2-references';
import type { RunningServer } from './support/oauth2-references';
import {
  introspectionRequests,
  jwtHeader,
  obtainTokens,
  registerClients,
  SCOPES,
  tokenRequests,
} from './support/oauth2-workload';
import { startProvisioningProbe } from './support/provisioning';
import type { ProvisioningFigures } from './support/provisioning';
import { runRounds } from './support/rounds';
import type { Phase, PhaseRow, RoundsOptions } from './support/rounds';
import { startServicesBenchSystem } from './support/services-system';
import { startBenchSystem } from './support/start-system';
import type { BenchSystem } from './support/start-system';

type Mode = 'embedded' | 'services';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--profile');
const onlyArg = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
if (onlyArg !== undefined && onlyArg !== 'embedded' && onlyArg !== 'services') {
  throw new Error('--only takes embedded or services');
}
const MODES: Mode[] = onlyArg ? [onlyArg] : ['embedded', 'services'];

const BCRYPT_COST = 10;
const USERS = 64;
const PASSWORD = 'bench password that is long enough';
/** Connections for the cheap paths: enough to keep one event loop busy. */
const CONNECTIONS = 32;
/** Sign-in and raw bcrypt: enough to keep libuv's four bcrypt threads busy (as bench:auth). */
const BCRYPT_CONCURRENCY = 8;
/**
 * Client-credentials clients (each limited to 120 token requests a minute) and source addresses
 * (each limited per path): as in bench:oauth2, enough that no answer is a 429.
 */
const CLIENTS = QUICK ? 128 : 256;
const ADDRESSES = 4096;
const TTL_SECONDS = 900;
/** The provisioning burst (PostgreSQL only). */
const TENANTS = 20;
const TENANTS_IN_FLIGHT = 10;

const ROUNDS: Omit<RoundsOptions, 'profile' | 'onRound'> = {
  ...(QUICK
    ? { rounds: 1, seconds: 1.5, warmupSeconds: 0.5 }
    : { rounds: PROFILE ? 1 : 3, seconds: 6, warmupSeconds: 1 }),
  sliceWarmupSeconds: 0.25,
  connections: CONNECTIONS,
  addresses: ADDRESSES,
};

const GOALS = {
  signIn: 0.9,
  refresh: 0.25,
  me: 0.5,
  staticDocs: 0.8,
  /** oidc-provider keeps everything in memory: 1.0 on the embedded default, 0.9 while persisting. */
  oauth: { embedded: 1.0, services: 0.9 },
  provisioning: { p50Ms: 300, p99Ms: 1000, tenantsPerSecond: 20 },
};

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface ModeReport {
  mode: Mode;
  store: string;
  loadAverage1mBefore: number;
  loadAverage1mAfter: number;
  phases: PhaseRow[];
  ed25519?: PhaseResult;
  provisioning?: ProvisioningFigures;
  rows: GoalRow[];
  notRun?: string;
}

/** Sign-up of every bench user (not measured): access and refresh tokens, one session each. */
async function signUpUsers(
  base: string,
): Promise<{ emails: string[]; access: string[]; refresh: string[] }> {
  const emails = Array.from({ length: USERS }, (_, i) => `user${i}@bench.example`);
  const access: string[] = [];
  const refresh: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: BCRYPT_CONCURRENCY }, async () => {
      while (next < USERS) {
        const i = next++;
        const tokens = await json<{ access_token: string; refresh_token: string }>(
          await jsonPost(
            `${base}/v1/auth/sign-up`,
            { email: emails[i], password: PASSWORD },
            { 'x-forwarded-for': `198.19.254.${i}` },
          ),
          'sign-up',
        );
        access[i] = tokens.access_token;
        refresh[i] = tokens.refresh_token;
      }
    }),
  );
  return { emails, access, refresh };
}

/** Raw Ed25519 verification of one real access token's bytes: the floor of any JWT check. */
async function rawEd25519(issuer: string, accessToken: string): Promise<PhaseResult> {
  const jwks = await json<{ keys: (JsonWebKey & { kid?: string })[] }>(
    await fetch(`${issuer}/.well-known/jwks.json`),
    'jwks',
  );
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const jwk = jwks.keys.find((key) => key.kid === jwtHeader(accessToken).kid);
  if (!jwk) throw new Error('the token kid is not in the JWKS');
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const signingInput = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  return runSyncPhase(
    'raw Ed25519 crypto.verify (same bytes)',
    { maxSeconds: QUICK ? 0.5 : 2, maxOps: 2_000_000 },
    () => ed25519Verify(null, signingInput, publicKey, signatureBytes),
  );
}

async function runMode(mode: Mode, load: LoadGenerator, profileDir?: string): Promise<ModeReport> {
  const loadAverage1mBefore = machineFacts().loadAverage1m;
  const started: RunningServer[] = [];
  let system: BenchSystem | undefined;
  let store = 'embedded default: SQLite, in-process bus, in-memory rate limits';
  let provisioningProbe: Parameters<typeof startProvisioningProbe>[0] | undefined;
  let track: (tenantId: string) => void = () => undefined;
  const env = { HJ_BCRYPT_COST: String(BCRYPT_COST) };
  try {
    if (mode === 'services') {
      const services = await startServicesBenchSystem(env);
      system = services;
      track = (id) => {
        services.track(id);
      };
      store = `PostgreSQL (${services.services.postgres}), RabbitMQ (${services.services.rabbitmq}), Redis (${services.services.redis})`;
      provisioningProbe = {
        cpUrl: services.cpUrl,
        auth: {},
        rabbitmqUrl: services.rabbitmqUrl,
        onCreated: track,
      };
    } else {
      system = await startBenchSystem(env);
    }
  } catch (error) {
    await system?.close();
    return failed('could not start', error);
  }
  try {
    say(`\n[${mode}] ${store}: setting up`);
    const auth = await adminAuth(system.cpUrl);
    const tenant = await createTenant(system.cpUrl, auth, 'bench', { bcrypt_cost: BCRYPT_COST });
    track(tenant.id);
    const users = await signUpUsers(tenant.issuer);
    await load.setTokens(users.refresh);

    const clients = await registerClients(system.cpUrl, auth, tenant.id, CLIENTS);
    const oidcProvider = await startOidcProvider(clients, SCOPES, TTL_SECONDS);
    started.push(oidcProvider);
    const hjOauth = {
      token: `${tenant.issuer}/oauth2/token`,
      introspect: `${tenant.issuer}/oauth2/introspect`,
    };
    const hjTokens = await obtainTokens(hjOauth.token, clients);
    const opOpaque = await obtainTokens(`${oidcProvider.url}/token`, clients);

    const jwksUrl = `${tenant.issuer}/.well-known/jwks.json`;
    const jwksDocument = await json<unknown>(await fetch(jwksUrl), 'jwks');
    // The ceiling answers the tenant's JWKS, byte for byte, to a GET.
    const express = await startBareExpress(jwksDocument);
    started.push(express);

    const get = (headers: Record<string, string> = {}): LoadRequest => ({ headers, body: '' });
    const jsonBody = (body: unknown): LoadRequest => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const ceilingName = 'ceiling: Express constant JSON (GET)';
    const phases: Phase[] = [
      {
        name: ceilingName,
        url: `${express.url}/constant`,
        method: 'GET',
        requests: async () => [get()],
        expect: '"keys"',
      },
      {
        name: `sign-in (bcrypt ${BCRYPT_COST})`,
        url: `${tenant.issuer}/v1/auth/sign-in`,
        requests: async () => users.emails.map((email) => jsonBody({ email, password: PASSWORD })),
        expect: '"refresh_token"',
        connections: BCRYPT_CONCURRENCY,
        tokens: 'capture',
        // After the window: refused before any bcrypt, so no hashing spills into the next phase.
        drainBody: '{}',
      },
      {
        name: `raw bcrypt.compare (cost ${BCRYPT_COST})`,
        concurrency: BCRYPT_CONCURRENCY,
        op: (() => {
          const hash = bcrypt.hash(PASSWORD, BCRYPT_COST);
          return async () => bcrypt.compare(PASSWORD, await hash);
        })(),
      },
      {
        name: 'refresh (rotation)',
        url: `${tenant.issuer}/v1/auth/refresh`,
        requests: async () => [jsonBody({})],
        expect: '"refresh_token"',
        tokens: 'rotate',
      },
      {
        name: 'GET /v1/me',
        url: `${tenant.issuer}/v1/me`,
        method: 'GET',
        requests: async () =>
          users.access.map((token) => get({ authorization: `Bearer ${token}` })),
        expect: '"email"',
      },
      {
        name: 'JWKS',
        url: jwksUrl,
        method: 'GET',
        requests: async () => [get()],
        expect: '"keys"',
      },
      {
        name: 'discovery',
        url: `${tenant.issuer}/.well-known/openid-configuration`,
        method: 'GET',
        requests: async () => [get()],
        expect: '"issuer"',
      },
      {
        name: 'HelloJohn token (client_credentials)',
        url: hjOauth.token,
        requests: async () => tokenRequests(clients),
        expect: '"access_token"',
      },
      {
        name: 'oidc-provider token (client_credentials, JWT)',
        url: `${oidcProvider.url}/token`,
        requests: async () => tokenRequests(clients, { resource: OIDC_PROVIDER_RESOURCE }),
        expect: '"access_token"',
      },
      {
        name: 'HelloJohn introspect (JWT)',
        url: hjOauth.introspect,
        requests: async () => introspectionRequests(clients, hjTokens.tokens),
        expect: '"active":true',
      },
      {
        name: 'oidc-provider introspect (opaque)',
        url: `${oidcProvider.url}/token/introspection`,
        requests: async () => introspectionRequests(clients, opOpaque.tokens),
        expect: '"active":true',
      },
    ];
    say(
      `[${mode}] ${phases.length} phases, ${ROUNDS.rounds} round(s) of ${ROUNDS.seconds / ROUNDS.rounds} s each, ` +
        `${ROUNDS.warmupSeconds} s warm-up first`,
    );
    const rows = await runRounds(load, phases, {
      ...ROUNDS,
      ...(profileDir ? { profile: { dir: profileDir, prefix: mode } } : {}),
      onRound: (_round, line) => {
        say(`  [${mode}] ${line}`);
      },
    });
    const ed25519 = await rawEd25519(tenant.issuer, users.access[0] ?? '');

    // After the hot paths, so its CPU does not fall on them.
    let provisioning: ProvisioningFigures | undefined;
    if (provisioningProbe) {
      say(`[${mode}] provisioning burst: ${TENANTS} tenants, ${TENANTS_IN_FLIGHT} in flight`);
      const probe = await startProvisioningProbe({ ...provisioningProbe, auth });
      try {
        provisioning = await probe.measure(
          `burst of ${TENANTS}, ${TENANTS_IN_FLIGHT} in flight`,
          TENANTS,
          TENANTS_IN_FLIGHT,
          `bench-${Date.now().toString(36)}-`,
        );
      } finally {
        await probe.close();
      }
    }

    const row = (name: string): PhaseRow | undefined => rows.find((r) => r.name === name);
    const ceiling = row(ceilingName);
    const oauthGoal = GOALS.oauth[mode];
    const goalRows: GoalRow[] = [
      {
        kind: 'ratio',
        path: `sign-in, bcrypt ${BCRYPT_COST}`,
        hellojohn: row(`sign-in (bcrypt ${BCRYPT_COST})`),
        ceiling: row(`raw bcrypt.compare (cost ${BCRYPT_COST})`),
        goal: GOALS.signIn,
      },
      {
        kind: 'ratio',
        path: 'refresh rotation',
        hellojohn: row('refresh (rotation)'),
        ceiling,
        goal: GOALS.refresh,
      },
      { kind: 'ratio', path: 'GET /v1/me', hellojohn: row('GET /v1/me'), ceiling, goal: GOALS.me },
      { kind: 'ratio', path: 'JWKS', hellojohn: row('JWKS'), ceiling, goal: GOALS.staticDocs },
      {
        kind: 'ratio',
        path: 'discovery',
        hellojohn: row('discovery'),
        ceiling,
        goal: GOALS.staticDocs,
      },
      {
        kind: 'ratio',
        path: 'client credentials token',
        hellojohn: row('HelloJohn token (client_credentials)'),
        ceiling: row('oidc-provider token (client_credentials, JWT)'),
        goal: oauthGoal,
      },
      {
        kind: 'ratio',
        path: 'introspection',
        hellojohn: row('HelloJohn introspect (JWT)'),
        ceiling: row('oidc-provider introspect (opaque)'),
        goal: oauthGoal,
      },
      {
        kind: 'provisioning',
        path: 'tenant created -> active',
        ...(provisioning ? { figures: provisioning } : { notRun: 'PostgreSQL only' }),
        goal: GOALS.provisioning,
      },
      { kind: 'reference', path: 'raw Ed25519 verify', figures: ed25519 },
    ];
    return {
      mode,
      store,
      loadAverage1mBefore,
      loadAverage1mAfter: machineFacts().loadAverage1m,
      phases: rows,
      ed25519,
      ...(provisioning ? { provisioning } : {}),
      rows: goalRows,
    };
  } catch (error) {
    // The other store still runs; this one's rows say why they have no figures.
    console.error(error);
    return failed('failed', error);
  } finally {
    say(`[${mode}] stopping, dropping what the run made`);
    for (const server of started) await server.close();
    await system.close();
  }

  function failed(what: string, error: unknown): ModeReport {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      mode,
      store,
      loadAverage1mBefore,
      loadAverage1mAfter: machineFacts().loadAverage1m,
      phases: [],
      rows: [],
      notRun: `${what}: ${(reason ?? 'unknown error').slice(0, 160)}`,
    };
  }
}

/** The rows of a mode that did not start or failed: every path "not run", with its goal. */
function notRunRows(mode: Mode, reason: string): GoalRow[] {
  const oauth = GOALS.oauth[mode];
  const paths: [string, number][] = [
    [`sign-in, bcrypt ${BCRYPT_COST}`, GOALS.signIn],
    ['refresh rotation', GOALS.refresh],
    ['GET /v1/me', GOALS.me],
    ['JWKS', GOALS.staticDocs],
    ['discovery', GOALS.staticDocs],
    ['client credentials token', oauth],
    ['introspection', oauth],
  ];
  return [
    ...paths.map(([path, goal]): GoalRow => ({ kind: 'ratio', path, goal, notRun: reason })),
    {
      kind: 'provisioning',
      path: 'tenant created -> active',
      goal: GOALS.provisioning,
      notRun: reason,
    },
  ];
}

async function main(): Promise<void> {
  const machineBefore = machineFacts();
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'hj-bench-profile-')) : undefined;
  const load = forkLoadGenerator();
  const reports: ModeReport[] = [];
  try {
    for (const mode of MODES) reports.push(await runMode(mode, load, profileDir));
  } finally {
    load.close();
  }

  const machine = machineFacts();
  const date = new Date().toISOString();
  say(`\nHelloJohn hot paths (npm run bench${QUICK ? ' -- --quick' : ''}), ${date}`);
  say(
    `${machine.cpu}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`,
  );
  const verdicts: Record<string, Verdict[]> = {};
  for (const report of reports) {
    say(
      `\n## ${report.mode}: ${report.store}\nload average (1 min) before ${report.loadAverage1mBefore}, ` +
        `after ${report.loadAverage1mAfter}\n`,
    );
    const rows = report.notRun ? notRunRows(report.mode, report.notRun) : report.rows;
    verdicts[report.mode] = rows.map(judge);
    say(formatVerdicts(verdicts[report.mode] ?? []));
    for (const phase of report.phases) {
      if (phase.errors > 0)
        say(`  ${phase.name}: failures ${JSON.stringify(phase.failures)}: ${phase.firstFailure}`);
    }
  }
  if (profileDir) {
    say(`\nCPU profiles (servers' process, one per phase and slice): ${profileDir}`);
    say('profiled run: no results file written (the profiler slows what it watches)');
    return;
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `bench${QUICK ? '-quick' : ''}${onlyArg ? `-${onlyArg}` : ''}-${date.slice(0, 10)}.json`,
  );
  const results = {
    benchmark: 'hot paths (npm run bench)',
    date,
    machine: { ...machine, loadAverage1mBefore: machineBefore.loadAverage1m },
    options: {
      quick: QUICK,
      modes: MODES,
      ...ROUNDS,
      bcryptCost: BCRYPT_COST,
      users: USERS,
      clients: CLIENTS,
      bcryptConcurrency: BCRYPT_CONCURRENCY,
      provisioning: { tenants: TENANTS, inFlight: TENANTS_IN_FLIGHT },
    },
    goals: GOALS,
    modes: reports.map((report) => ({
      mode: report.mode,
      store: report.store,
      loadAverage1mBefore: report.loadAverage1mBefore,
      loadAverage1mAfter: report.loadAverage1mAfter,
      ...(report.notRun ? { notRun: report.notRun } : {}),
      verdicts: verdicts[report.mode],
      phases: report.phases,
      ...(report.ed25519 ? { ed25519: report.ed25519 } : {}),
      ...(report.provisioning ? { provisioning: report.provisioning } : {}),
    })),
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  say(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
