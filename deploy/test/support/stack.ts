import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './load';

const execFileAsync = promisify(execFile);

/**
 * Drives the compose stack of `npm run stack:local` for the system test, through the same
 * scripts (scripts/stack-*.sh) and compose wrapper (scripts/stack-env.sh) a person uses.
 */
interface StackOptions {
  project: string;
  cpPort: number;
  dpPort: number;
}

export class Stack {
  readonly cpUrl: string;
  readonly dpUrl: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: StackOptions) {
    this.cpUrl = `http://127.0.0.1:${options.cpPort}`;
    this.dpUrl = `http://127.0.0.1:${options.dpPort}`;
    this.env = {
      ...process.env,
      HJ_STACK_PROJECT: options.project,
      HELLOJOHN_CP_PORT: String(options.cpPort),
      HELLOJOHN_DP_PORT: String(options.dpPort),
      HJ_STACK_COMPOSE_EXTRA: join(repoRoot, 'deploy/test/support/stack-test.compose.yml'),
    };
  }

  /** Runs one of scripts/stack-*.sh with this stack's settings (output goes to the test's log). */
  script(name: 'stack-local' | 'stack-down', env: Record<string, string> = {}): void {
    execFileSync('bash', [join(repoRoot, `scripts/${name}.sh`)], {
      env: { ...this.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  /** `docker compose <args>` (or docker-compose 1.29) on this stack's files and project. */
  compose(...args: string[]): string {
    return execFileSync(
      'bash',
      [
        '-c',
        `source "${join(repoRoot, 'scripts/stack-env.sh')}" && compose "$@"`,
        'compose',
        ...args,
      ],
      { env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
  }

  docker(...args: string[]): string {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  }

  /** `docker <args>` without blocking the event loop, so a load the test runs keeps running. */
  async dockerAsync(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('docker', args, { encoding: 'utf8' });
    return stdout;
  }

  /** Container ids of a service's replicas. */
  containers(service: string): string[] {
    return this.compose('ps', '-q', service)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
  }

  /** Docker's view of a container: running state and HEALTHCHECK status. */
  state(container: string): { running: boolean; health: string } {
    const [running, health] = this.docker(
      'inspect',
      '-f',
      '{{.State.Running}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
      container,
    )
      .trim()
      .split(' ');
    return { running: running === 'true', health: health ?? 'none' };
  }

  /** One SQL answer from the stack's PostgreSQL, as the superuser over its local socket. */
  sql(query: string): string {
    return this.compose('exec', '-T', 'postgres', 'psql', '-U', 'postgres', '-Atc', query).trim();
  }

  /** Messages waiting in each RabbitMQ queue. */
  queues(): Map<string, number> {
    const out = this.compose(
      'exec',
      '-T',
      'rabbitmq',
      'rabbitmqctl',
      '-q',
      'list_queues',
      'name',
      'messages',
    );
    return new Map(
      out
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((parts) => parts.length === 2 && /^\d+$/.test(parts[1]!))
        .map(([name, count]) => [name!, Number(count)]),
    );
  }
}

export interface Outcome {
  index: number;
  status: number;
  startedAt: number;
  endedAt: number;
  error?: string;
}

/**
 * Runs `total` calls of `call` with at most `concurrency` in flight; `onDone` sees the count of
 * finished calls after each (the test kills a replica from there).
 */
export async function burst(
  total: number,
  concurrency: number,
  call: (index: number) => Promise<number>,
  onDone: (finished: number) => void = () => undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < total) {
      const index = next++;
      const startedAt = performance.now();
      try {
        const status = await call(index);
        outcomes.push({ index, status, startedAt, endedAt: performance.now() });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ index, status: 0, startedAt, endedAt: performance.now(), error: message });
      }
      onDone(outcomes.length);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return outcomes.sort((a, b) => a.index - b.index);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
