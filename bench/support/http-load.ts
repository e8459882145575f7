/**
 * A closed-loop HTTP load generator (autocannon's model: N keep-alive connections, each sending
 * its next request when the previous answer is in) that runs in a child process of its own, so the
 * client's CPU is not taken from the server under test. The same generator, the same connections
 * and the same durations for every target make their figures comparable.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { PhaseResult } from './measure';

const CHILD_FLAG = '--http-load-child';

/** One request of a workload: its headers (no Content-Length: it is added) and its body. */
export interface LoadRequest {
  headers: Record<string, string>;
  body: string;
}

export interface LoadSpec {
  name: string;
  /** Where every request goes (POST, plain http on loopback). */
  url: string;
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
  /** Returns every latency too (`latenciesMs`), so slices of one phase can be merged. */
  keepLatencies?: boolean;
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
  /** Requests sent during the warm-up (not in `ops`/`errors`), to count the server's work. */
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

interface Answer {
  ok: boolean;
  label: string;
  body: string;
}

/** Runs one workload in this process. */
async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    maxFreeSockets: spec.connections,
  });
  const prepared = spec.requests.map((r) => ({
    headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
    body: r.body,
  }));
  let next = 0;

  function send(): Promise<Answer> {
    const i = next++;
    const one = prepared[i % prepared.length];
    if (!one) throw new Error('no requests to send');
    const headers: OutgoingHttpHeaders =
      spec.addresses === undefined
        ? one.headers
        : { ...one.headers, 'x-forwarded-for': address(i % Math.min(spec.addresses, 131_072)) };
    return new Promise((resolve) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const ok = status === 200 && (spec.expect === undefined || body.includes(spec.expect));
            resolve({
              ok,
              label: status === 200 && !ok ? '200 (unexpected body)' : `${status}`,
              body,
            });
          });
          res.on('error', (error: NodeJS.ErrnoException) => {
            resolve({ ok: false, label: error.code ?? 'error', body: error.message });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        resolve({ ok: false, label: error.code ?? 'error', body: error.message });
      });
      req.end(one.body);
    });
  }

  // Warm-up: the same load, nothing recorded.
  const warmupEnd = performance.now() + spec.warmupSeconds * 1000;
  let warmupRequests = 0;
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < warmupEnd) {
        await send();
        warmupRequests += 1;
      }
    }),
  );

  let latencies = new Float64Array(1 << 16);
  let ops = 0;
  let errors = 0;
  const failures: Record<string, number> = {};
  let firstFailure: string | undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        const answer = await send();
        if (answer.ok) {
          if (ops === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[ops++] = performance.now() - begin;
        } else {
          errors += 1;
          failures[answer.label] = (failures[answer.label] ?? 0) + 1;
          firstFailure ??= `${answer.label} ${answer.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  const sorted = latencies.subarray(0, ops).sort();
  const result: LoadResult = {
    name: spec.name,
    ops,
    errors,
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Number((ops / seconds).toFixed(1)),
    concurrency: spec.connections,
    p50Ms: percentile(sorted, ops, 50),
    p99Ms: percentile(sorted, ops, 99),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    clientCpuPercent: Math.round((cpu.user + cpu.system) / 10_000 / seconds),
    warmupRequests,
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
  close(): void;
}

/** Starts the child process that sends the load (this file, run with a flag). */
export function forkLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(__filename, [CHILD_FLAG], { stdio: 'inherit' });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(spec) {
      const result = queue.then(
        () =>
          new Promise<LoadResult>((resolve, reject) => {
            const onExit = (code: number | null): void => {
              reject(new Error(`the load generator exited (${code ?? 'signal'})`));
            };
            child.once('exit', onExit);
            child.once('message', (message) => {
              child.off('exit', onExit);
              resolve(message as LoadResult);
            });
            child.send(spec);
          }),
      );
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      if (child.connected) child.disconnect();
    },
  };
}

// The child: takes workloads over IPC and answers each with its result; leaves with the parent.
if (process.argv[2] === CHILD_FLAG) {
  process.on('message', (spec: LoadSpec) => {
    void runLoad(spec).then((result) => process.send?.(result));
  });
}
