/**
 * The HTTP load of every bench: autocannon (N keep-alive connections, each sending its next
 * request when the previous answer is in), run in a child process of its own so the client's CPU
 * is not taken from the servers under test (they share this process). The same generator, the same
 * connections and the same durations for every target make their figures comparable.
 *
 * autocannon's `setupClient` gives each connection its own requests, so a workload can also chain
 * one answer into the next request: refresh-token rotation spends each token once and sends its
 * successor next. Such workloads draw tokens from a pool kept in the child across workloads
 * (filled by `tokens: 'capture'` workloads, e.g. sign-ins, and by `setTokens`).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { PhaseResult } from './measure';

const CHILD_FLAG = '--http-load-child';
/** The longest the drain after the window may take before the run is stopped anyway. */
const DRAIN_SECONDS = 30;

/** One request of a workload: its headers and body ('' for GET). */
export interface LoadRequest {
  headers: Record<string, string>;
  body: string;
}

export interface LoadSpec {
  name: string;
  /** Where every request goes (plain http on loopback). */
  url: string;
  /** GET or POST (the default). */
  method?: 'GET' | 'POST';
  /** Sent round-robin: request i is `requests[i % requests.length]`. */
  requests: LoadRequest[];
  /** Keep-alive connections, each with one request in flight. */
  connections: number;
  /** Measured time. */
  seconds: number;
  /** Load sent first and not measured: JIT, caches and connection set-up. */
  warmupSeconds: number;
  /** A success is status 200 and, when set, a body that contains this text. */
  expect?: string;
  /**
   * When set, request i carries `X-Forwarded-For` with address `i % addresses` of RFC 2544's
   * 198.18.0.0/15 (at most 131072), as traffic from a fleet of hosts would; the per-address rate
   * limits then see many hosts, none of them abusive. Servers that do not trust the header ignore
   * it.
   */
  addresses?: number;
  /**
   * The body sent after the measured window, until every connection has its answer (then the run
   * stops): a request the server refuses cheaply, so no slow work (bcrypt) outlives the window and
   * falls on the next phase. Default: the usual requests (fine for fast paths).
   */
  drainBody?: string;
  /** Returns every latency too (`latenciesMs`), so slices of one phase can be merged. */
  keepLatencies?: boolean;
  /**
   * Refresh tokens: `capture` adds the `refresh_token` of every successful answer to the child's
   * pool; `rotate` makes each connection take one from the pool, send it as
   * `{"refresh_token": …}` (the body of `requests` is ignored) and send the successor from the
   * answer next, returning what it holds to the pool at the end.
   */
  tokens?: 'capture' | 'rotate';
}

export interface LoadResult extends PhaseResult {
  /** Connections (each one request in flight), the `concurrency` of the other benches. */
  concurrency: number;
  /** How the failures answered: status code (or error code) -> count. */
  failures: Record<string, number>;
  /** The first failed answer's body, cut short, to tell what went wrong. */
  firstFailure?: string;
  /** CPU the load generator used while measuring, % of one core: near 100, it may be the limit. */
  clientCpuPercent: number;
  /** Requests sent outside the measured window (warm-up, tail), to count the server's work. */
  warmupRequests: number;
  /** Latencies of the successes, ms, when asked for (`keepLatencies`). */
  latenciesMs?: number[];
}

function address(i: number): string {
  return `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

function percentile(sorted: Float64Array, count: number, p: number): number {
  if (count === 0) return 0;
  const index = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
  return Number((sorted[index] ?? 0).toFixed(3));
}

/** Refresh tokens the child holds between workloads (see `LoadSpec.tokens`). */
const tokenPool: string[] = [];

function refreshTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

interface Tally {
  /** Inside the measured window: record; before it or after it: count only. */
  measuring: boolean;
  ops: number;
  errors: number;
  unmeasured: number;
  latencies: Float64Array;
  failures: Record<string, number>;
  firstFailure?: string;
}

/**
 * One autocannon run: `seconds` of load (recorded into `tally` when `measure`), then a drain: each
 * connection sends one more cheap request (rotating ones spend no token) and the run stops once
 * every connection has its answer, so no answer (and no refresh token) is cut off by the stop.
 * Resolves to the window's length and the CPU this process spent in it.
 */
async function cannon(
  spec: LoadSpec,
  seconds: number,
  tally: Tally,
  measure: boolean,
): Promise<{ seconds: number; cpu: NodeJS.CpuUsage }> {
  const url = new URL(spec.url);
  const method = spec.method ?? 'POST';
  const addresses = Math.min(spec.addresses ?? 0, 131_072);
  let next = 0;
  let stopped = false;
  const held: { token: string | undefined; drained: boolean }[] = [];

  function record(ok: boolean, label: string, body: string, ms: number): void {
    if (!tally.measuring) {
      tally.unmeasured += 1;
      return;
    }
    if (ok) {
      if (tally.ops === tally.latencies.length) {
        const grown = new Float64Array(tally.latencies.length * 2);
        grown.set(tally.latencies);
        tally.latencies = grown;
      }
      tally.latencies[tally.ops++] = ms;
    } else {
      tally.errors += 1;
      tally.failures[label] = (tally.failures[label] ?? 0) + 1;
      tally.firstFailure ??= `${label} ${body.slice(0, 300)}`;
    }
  }

  let finished: (error?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finished = (error) => {
      if (error) reject(error);
      else resolve();
    };
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      // Stopped by the drain below; this only bounds it.
      duration: seconds + DRAIN_SECONDS,
      // autocannon stops on its sampling tick: a short one ends the run close to `stop()`.
      sampleInt: 100,
      timeout: 30,
      setupClient(client) {
        const state = {
          token: undefined as string | undefined,
          sent: false,
          ok: false,
          body: '',
          /** Built after the window: its answer drains this connection. */
          draining: false,
          drained: false,
        };
        held.push(state);
        client.setRequests([
          {
            method,
            path: `${url.pathname}${url.search}`,
            setupRequest(request) {
              const i = next++;
              const one = spec.requests[i % spec.requests.length];
              if (!one) throw new Error('no requests to send');
              const headers: Record<string, string> = { ...one.headers };
              if (addresses > 0) headers['x-forwarded-for'] = address(i % addresses);
              let body = one.body;
              state.draining = stopped;
              if (stopped && spec.drainBody !== undefined) body = spec.drainBody;
              if (spec.tokens === 'rotate') {
                state.token ??= tokenPool.pop();
                // Past the window, or out of tokens: a request that spends nothing (a 4xx).
                const token = stopped ? undefined : state.token;
                body = JSON.stringify({ refresh_token: token ?? 'bench-no-token' });
                state.sent = token !== undefined;
              }
              return { ...request, method, headers, body };
            },
            onResponse(status, body) {
              if (state.draining) state.drained = true;
              state.ok =
                status === 200 && (spec.expect === undefined || body.includes(spec.expect));
              state.body = state.ok ? '' : `${status === 200 ? '(unexpected body) ' : ''}${body}`;
              if (spec.tokens === undefined || !state.ok) {
                if (spec.tokens === 'rotate' && state.sent) state.token = undefined; // spent
                return;
              }
              const successor = refreshTokenOf(body);
              if (spec.tokens === 'capture' && successor) tokenPool.push(successor);
              if (spec.tokens === 'rotate' && state.sent) state.token = successor;
            },
          },
        ]);
        client.on('response', (status: number, _bytes: number, ms: number) => {
          record(state.ok, String(status), state.body, ms);
        });
      },
    },
    (error: Error | null) => {
      finished(error ?? undefined);
    },
  );
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    record(false, error.code ?? 'error', error.message, 0);
  });
  // The window opens once the connections are set up (autocannon starts them synchronously).
  await new Promise((resolve) => setImmediate(resolve));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  tally.measuring = measure;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  tally.measuring = false;
  stopped = true;
  const window = { seconds: (performance.now() - t0) / 1000, cpu: process.cpuUsage(cpu0) };
  const drainEnd = performance.now() + DRAIN_SECONDS * 1000;
  while (held.some((state) => !state.drained) && performance.now() < drainEnd) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  instance.stop();
  await done;
  for (const state of held) if (state.token !== undefined) tokenPool.push(state.token);
  return window;
}

/** Runs one workload in this process (the child). */
async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const tally: Tally = {
    measuring: false,
    ops: 0,
    errors: 0,
    unmeasured: 0,
    latencies: new Float64Array(1 << 16),
    failures: {},
  };
  if (spec.warmupSeconds > 0) await cannon(spec, spec.warmupSeconds, tally, false);
  const { seconds, cpu } = await cannon(spec, spec.seconds, tally, true);
  const ops = tally.ops;
  const sorted = tally.latencies.subarray(0, ops).sort();
  const result: LoadResult = {
    name: spec.name,
    ops,
    errors: tally.errors,
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Number((ops / seconds).toFixed(1)),
    concurrency: spec.connections,
    p50Ms: percentile(sorted, ops, 50),
    p99Ms: percentile(sorted, ops, 99),
    failures: tally.failures,
    ...(tally.firstFailure === undefined ? {} : { firstFailure: tally.firstFailure }),
    clientCpuPercent: Math.round((cpu.user + cpu.system) / 10_000 / seconds),
    warmupRequests: tally.unmeasured,
  };
  if (spec.keepLatencies) result.latenciesMs = Array.from(sorted, (ms) => Number(ms.toFixed(3)));
  return result;
}

/**
 * One phase's figures from the slices it was measured in (each with `keepLatencies`): counts and
 * times add up, percentiles come from every latency, CPU is weighted by time.
 */
export function mergeSlices(name: string, slices: readonly LoadResult[]): LoadResult {
  const all = new Float64Array(slices.flatMap((slice) => slice.latenciesMs ?? [])).sort();
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const ops = slices.reduce((sum, slice) => sum + slice.ops, 0);
  const failures: Record<string, number> = {};
  for (const slice of slices) {
    for (const [label, count] of Object.entries(slice.failures)) {
      failures[label] = (failures[label] ?? 0) + count;
    }
  }
  const firstFailure = slices.find((slice) => slice.firstFailure)?.firstFailure;
  return {
    name,
    ops,
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Number((ops / seconds).toFixed(1)),
    concurrency: slices[0]?.concurrency ?? 0,
    p50Ms: percentile(all, all.length, 50),
    p99Ms: percentile(all, all.length, 99),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    clientCpuPercent: Math.round(
      slices.reduce((sum, slice) => sum + slice.clientCpuPercent * slice.seconds, 0) / seconds,
    ),
    warmupRequests: slices.reduce((sum, slice) => sum + slice.warmupRequests, 0),
  };
}

export interface LoadGenerator {
  /** Runs one workload in the child process; workloads run one at a time. */
  run(spec: LoadSpec): Promise<LoadResult>;
  /** Replaces the child's refresh-token pool (see `LoadSpec.tokens`). */
  setTokens(tokens: string[]): Promise<void>;
  close(): void;
}

/** Starts the child process that sends the load (this file, run with a flag). */
export function forkLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(__filename, [CHILD_FLAG], { stdio: 'inherit' });
  let queue: Promise<unknown> = Promise.resolve();
  function ask<T>(message: ChildMessage): Promise<T> {
    const answer = queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          const onExit = (code: number | null): void => {
            reject(new Error(`the load generator exited (${code ?? 'signal'})`));
          };
          child.once('exit', onExit);
          child.once('message', (reply) => {
            child.off('exit', onExit);
            resolve(reply as T);
          });
          child.send(message);
        }),
    );
    queue = answer.catch(() => undefined);
    return answer;
  }
  return {
    run: (spec) => ask<LoadResult>({ spec }),
    setTokens: async (tokens) => {
      await ask<unknown>({ tokens });
    },
    close() {
      if (child.connected) child.disconnect();
    },
  };
}

type ChildMessage = { spec: LoadSpec } | { tokens: string[] };

// The child: takes workloads over IPC and answers each with its result; leaves with the parent.
if (process.argv[2] === CHILD_FLAG) {
  process.on('message', (message: ChildMessage) => {
    if ('tokens' in message) {
      tokenPool.splice(0, tokenPool.length, ...message.tokens);
      process.send?.({ tokens: tokenPool.length });
      return;
    }
    void runLoad(message.spec).then((result) => process.send?.(result));
  });
}
