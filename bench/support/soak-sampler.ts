/**
 * What the soak samples in the process that runs both planes: memory after a full GC, libuv's
 * active resources, the event-loop delay since the previous sample, and this process's open
 * connections and database files, read from /proc (Linux) so they are counted by the kernel, not
 * by the code under test.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { SoakSample } from './soak-verdict';

const MiB = 2 ** 20;
const mb = (bytes: number): number => Number((bytes / MiB).toFixed(2));

/** Remote ports of the services, as they name a connection's kind. */
const SERVICE_PORTS: Record<number, string> = {
  5432: 'postgres connections',
  3306: 'mysql connections',
  6379: 'redis connections',
  5672: 'rabbitmq connections',
};

/** Socket inode -> [local port, remote port] for every TCP socket of the machine. */
function tcpSockets(): Map<string, [number, number]> {
  const sockets = new Map<string, [number, number]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, remote, inode] = [fields[1], fields[2], fields[9]];
      if (!local || !remote || !inode) continue;
      const port = (address: string): number => parseInt(address.split(':')[1] ?? '0', 16);
      sockets.set(inode, [port(local), port(remote)]);
    }
  }
  return sockets;
}

/**
 * This process's open file descriptors by kind: connections to each service (by remote port),
 * inbound HTTP connections to the planes (by local port), SQLite files, everything else.
 */
function openConnections(listeningPorts: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (kind: string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return counts; // not Linux: nothing to count
  }
  const sockets = tcpSockets();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed meanwhile (readdir's own descriptor, for one)
    }
    add('file descriptors');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) {
      const ports = sockets.get(inode);
      if (!ports) continue; // a Unix socket or a pipe
      const service = SERVICE_PORTS[ports[1]];
      if (service) add(service);
      else if (listeningPorts.includes(ports[0]) && ports[1] !== 0) add('inbound http');
    } else if (/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(target)) {
      add('sqlite files');
    }
  }
  return counts;
}

export interface Sampler {
  /** Takes a sample (a full GC first); the load generator's counters are passed in. */
  sample(
    t: number,
    load: { requests: number; errors: number; webhookDeliveries?: number },
  ): SoakSample;
  stop(): void;
}

export function startSampler(listeningPorts: readonly number[]): Sampler {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (nanos: number): number => Number((nanos / 1e6).toFixed(1));
  return {
    sample(t, load) {
      const eventLoop = {
        p50Ms: ms(delay.percentile(50)),
        p99Ms: ms(delay.percentile(99)),
        maxMs: ms(delay.max),
      };
      delay.reset();
      // Twice: the first pass may leave garbage that weak callbacks and finalizers free.
      gc();
      gc();
      const memory = process.memoryUsage();
      // Which V8 space holds the heap: old space growing is retained objects; code space, JIT.
      const heapSpacesMB: Record<string, number> = {};
      for (const space of getHeapSpaceStatistics()) {
        heapSpacesMB[space.space_name] = mb(space.space_used_size);
      }
      const resources: Record<string, number> = {};
      const active = process.getActiveResourcesInfo();
      for (const type of active) resources[type] = (resources[type] ?? 0) + 1;
      return {
        t: Number(t.toFixed(1)),
        heapUsedMB: mb(memory.heapUsed),
        rssMB: mb(memory.rss),
        externalMB: mb(memory.external),
        arrayBuffersMB: mb(memory.arrayBuffers),
        heapSpacesMB,
        resources,
        activeResources: active.length,
        connections: openConnections(listeningPorts),
        eventLoop,
        ...load,
      };
    },
    stop() {
      delay.disable();
    },
  };
}
