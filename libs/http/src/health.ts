import { Router } from 'express';

/** A readiness check: resolves when the dependency answers, rejects (or times out) when not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface CheckResult {
  status: 'up' | 'down';
  detail?: unknown;
  error?: string;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return detail === undefined ? { status: 'up' } : { status: 'up', detail };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`, and reports all of them.
 *
 * @example
 * const report = await readiness({ database: () => db.ping() });
 */
export async function readiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 1000,
): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
    ),
  );
  return {
    ready: entries.every(([, result]) => result.status === 'up'),
    checks: Object.fromEntries(entries),
  };
}

/**
 * `/healthz`: the process answers. `/readyz`: every dependency answers (503 and the failing ones
 * named otherwise), so a load balancer stops sending traffic to a replica that cannot serve.
 */
export function healthRoutes(options: {
  checks: Record<string, ReadinessCheck>;
  timeoutMs?: number;
}): Router {
  const router = Router();
  router.get('/healthz', function healthz(_req, res) {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async function readyz(_req, res) {
    const report = await readiness(options.checks, options.timeoutMs);
    res.status(report.ready ? 200 : 503).json({
      status: report.ready ? 'ready' : 'not_ready',
      checks: report.checks,
    });
  });
  return router;
}
