import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportedUserWrite } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { StagedUser } from './parse-import-line';

/** How a runner paces itself. */
export interface ImportPacing {
  /** Lines per transaction. */
  batchSize: number;
  /**
   * Pause after each batch. It hands the event loop, the tenant's connections and (on SQLite) its
   * write lock to sign-ins between batches: the throttle that keeps their latency.
   */
  pauseMs: number;
  /** How long a claim lasts without a committed batch; then another runner may take the job. */
  leaseMs: number;
}

export const DEFAULT_IMPORT_PACING: ImportPacing = { batchSize: 250, pauseMs: 20, leaseMs: 60_000 };

export interface ImportRunner {
  /** Runs the job in this process, after the jobs already waiting (one job at a time). */
  enqueue(tenant: TenantContext, jobId: string): void;
  /** Stops after the batch in flight; unfinished jobs resume elsewhere when their lease lapses. */
  stop(): Promise<void>;
}

const noRequest = { ip: undefined, userAgent: undefined };

function toWrite(line: number, payload: string): ImportedUserWrite {
  const staged = JSON.parse(payload) as StagedUser;
  const { createdAt, ...rest } = staged;
  return { ...rest, line, ...(createdAt !== undefined ? { createdAt: new Date(createdAt) } : {}) };
}

/**
 * Runs import jobs in the background, one at a time per process, each batch of lines in one
 * transaction. A job holds a lease that every committed batch extends: when the process dies,
 * the lease lapses and the next runner resumes from the first line not yet committed.
 */
export function createImportRunner(deps: {
  logger: Logger;
  pacing?: Partial<ImportPacing> | undefined;
}): ImportRunner {
  const pacing = { ...DEFAULT_IMPORT_PACING, ...deps.pacing };
  const log = deps.logger.child({ component: 'user-import' });
  const queue: Array<{ tenant: TenantContext; jobId: string }> = [];
  const waiting = new Set<string>();
  let draining: Promise<void> | undefined;
  let stopped = false;
  const lease = (): Date => new Date(Date.now() + pacing.leaseMs);

  async function run(tenant: TenantContext, jobId: string): Promise<void> {
    const jobs = tenant.db.userImports;
    if (!(await jobs.claim(jobId, new Date(), lease()))) return;
    for (;;) {
      if (stopped) return;
      const lines = await jobs.nextLines(jobId, pacing.batchSize);
      if (lines.length === 0) break;
      const users = lines.map((l) => toWrite(l.line, l.payload));
      await jobs.applyBatch(
        jobId,
        users,
        lines.map((l) => l.line),
        lease(),
      );
      await sleep(pacing.pauseMs);
    }
    await jobs.finish(jobId, 'succeeded');
    const job = await jobs.find(jobId);
    await audit(tenant.db, noRequest, {
      action: 'user_import.finished',
      outcome: 'success',
      actor: job?.createdBy ?? 'anonymous',
      target: jobId,
      details: job
        ? { total: job.total, imported: job.imported, updated: job.updated, failed: job.failed }
        : {},
    });
  }

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next && !stopped; next = queue.shift()) {
      const key = `${next.tenant.config.id}:${next.jobId}`;
      try {
        await run(next.tenant, next.jobId);
      } catch (error) {
        // The lease lapses and the job resumes from its last committed batch when next asked for.
        log.error({ err: error, jobId: next.jobId }, 'user import batch failed; will resume');
      } finally {
        waiting.delete(key);
      }
    }
  }

  function kick(): void {
    draining ??= drain().finally(() => {
      draining = undefined;
      // A job enqueued while the last drain was returning.
      if (queue.length > 0 && !stopped) kick();
    });
  }

  return {
    enqueue(tenant, jobId) {
      const key = `${tenant.config.id}:${jobId}`;
      if (stopped || waiting.has(key)) return;
      waiting.add(key);
      queue.push({ tenant, jobId });
      kick();
    },
    async stop() {
      stopped = true;
      await draining;
    },
  };
}
