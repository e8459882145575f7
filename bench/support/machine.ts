import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** The facts a reader needs to compare figures across machines. */
export function machineFacts() {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${platform()} ${release()}`,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    /** 1-minute load average: other work on the machine skews every figure. */
    loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}
