import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportedUserWrite, ImportLineError } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { TenantContext } from '../../tenancy/tenant-context';
import { GrantRefused, grantImportedAccess } from './grant-imported-access';
import { createAccessResolver, type ResolvedAccess, type StagedAccess } from './import-access';
import {
  boundsOver,
  DEFAULT_IMPORT_PACING,
  measureBaseline,
  nextPace,
  startLoopDelayProbe,
  type ImportPacing,
  type Pace,
} from './import-pacer';
import { identityLinkedElsewhere, linkImportedIdentities } from './link-imported-identities';
import type { StagedUser } from './parse-import-line';

export interface ImportRunner {
  /** Runs the job in this process, after the jobs already waiting (one job at a time). */
  enqueue(tenant: TenantContext, jobId: string): void;
  /** Stops after the batch in flight; unfinished jobs resume elsewhere when their lease lapses. */
  stop(): Promise<void>;
}

const noRequest = { ip: undefined, userAgent: undefined };

interface StagedLine {
  write: ImportedUserWrite;
  access?: StagedAccess | undefined;
}

function toWrite(line: number, payload: string): StagedLine {
  const staged = JSON.parse(payload) as StagedUser;
  const { createdAt, access, ...rest } = staged;
  const write = {
    ...rest,
    line,
    ...(createdAt !== undefined ? { createdAt: new Date(createdAt) } : {}),
  };
  return { write, access };
}

const elapsedSince = (start: number): number => performance.now() - start;

/**
 * Runs import jobs in the background, one at a time per process, each batch of lines in one
 * transaction. A job holds a lease that every committed batch extends: when the process dies,
 * the lease lapses and the next runner resumes from the first line not yet committed.
 */
export function createImportRunner(deps: {
  logger: Logger;
  /** Opens staged TOTP secrets (sealed at upload) to compare them with the user's own. */
  masterKey: Buffer;
  pacing?: Partial<ImportPacing> | undefined;
}): ImportRunner {
  const pacing = { ...DEFAULT_IMPORT_PACING, ...deps.pacing };
  const log = deps.logger.child({ component: 'user-import' });
  const queue: Array<{ tenant: TenantContext; jobId: string }> = [];
  const waiting = new Set<string>();
  let draining: Promise<void> | undefined;
  let stopped = false;
  const lease = (): Date => new Date(Date.now() + pacing.leaseMs);

  /**
   * Writes one batch. Lines that grant roles, memberships, an authenticator or federated links
   * are written with their grants in one transaction; names the tenant no longer has (a role
   * deleted since the upload) and upstream accounts linked to another user refuse their line
   * before anything of it is written, a grant the tenant's rules refuse is reported with its line.
   */
  async function writeBatch(
    tenant: TenantContext,
    jobId: string,
    lines: ReadonlyArray<{ line: number; payload: string }>,
  ): Promise<void> {
    const staged = lines.map((l) => toWrite(l.line, l.payload));
    const numbers = lines.map((l) => l.line);
    if (staged.every((s) => s.access === undefined)) {
      await tenant.db.userImports.applyBatch(
        jobId,
        staged.map((s) => s.write),
        numbers,
        lease(),
      );
      return;
    }
    await tenant.db.transaction(async (tx) => {
      const resolve = createAccessResolver(tx);
      const refused: ImportLineError[] = [];
      const grants = new Map<number, { resolved: ResolvedAccess; access: StagedAccess }>();
      for (const { write, access } of staged) {
        if (access === undefined) continue;
        const checked = await resolve(access);
        const reason = checked.ok
          ? await identityLinkedElsewhere(tx, write.emailNormalized, access.identities ?? [])
          : checked.reason;
        if (reason !== undefined) refused.push({ line: write.line, reason });
        else if (checked.ok) grants.set(write.line, { resolved: checked.resolved, access });
      }
      const writes = staged
        .map((s) => s.write)
        .filter((w) => !refused.some((r) => r.line === w.line));
      const outcome = await tx.userImports.applyBatch(jobId, writes, numbers, lease());
      const unwritten = new Set(outcome.errors.map((e) => e.line));
      const sealing = { masterKey: deps.masterKey, tenantId: tenant.config.id };
      for (const write of writes) {
        const grant = grants.get(write.line);
        if (grant === undefined || unwritten.has(write.line)) continue;
        const user = await tx.users.findByEmailNormalized(write.emailNormalized);
        try {
          if (!user) throw new Error('the user vanished within its own transaction');
          // A savepoint per line: a refused grant leaves the user written and the batch going.
          await tx.transaction(async (one) => {
            await grantImportedAccess(one, user.id, grant.resolved, grant.access.totp, sealing);
            await linkImportedIdentities(one, user.id, grant.access.identities ?? []);
          });
        } catch (error) {
          const reason =
            error instanceof GrantRefused
              ? error.message
              : 'its roles, memberships, authenticator or identities could not be written';
          if (!(error instanceof GrantRefused)) log.warn({ err: error, jobId }, reason);
          refused.push({ line: write.line, reason });
        }
      }
      if (refused.length > 0) {
        refused.sort((a, b) => a.line - b.line);
        await tx.userImports.appendReceived(jobId, {
          lines: [],
          read: 0,
          errors: refused,
          ignored: {},
          leaseUntil: lease(),
        });
      }
    });
  }

  async function run(tenant: TenantContext, jobId: string): Promise<void> {
    const jobs = tenant.db.userImports;
    if (!(await jobs.claim(jobId, new Date(), lease()))) return;
    const loop = startLoopDelayProbe();
    let pace: Pace = { batchSize: pacing.batchSize, pauseMs: pacing.pauseMs };
    /** How the job was paced, logged at its end: its baseline, batches, those that backed off. */
    const paced = { batches: 0, backedOff: 0, baseline: { loopDelayMs: 0, probeMs: 0 } };
    try {
      // Bounds relative to the machine as it is now: a host busy for other reasons is not read
      // as the import's strain (docs/migration.md, "Scale and pacing").
      paced.baseline = await measureBaseline(pacing.baselineMs, loop, () => tenant.db.ping());
      const bounds = boundsOver(paced.baseline, pacing);
      for (;;) {
        if (stopped) return;
        const lines = await jobs.nextLines(jobId, pace.batchSize);
        if (lines.length === 0) break;
        const started = performance.now();
        await writeBatch(tenant, jobId, lines);
        const batchMs = elapsedSince(started);
        const probed = performance.now();
        await tenant.db.ping();
        const signals = {
          lines: lines.length,
          batchMs,
          loopDelayMs: loop.read(),
          probeMs: elapsedSince(probed),
        };
        const next = nextPace(pace, signals, pacing, bounds);
        paced.batches += 1;
        if (next.batchSize < pace.batchSize) paced.backedOff += 1;
        pace = next;
        // Even a 0 ms pause is a timer: the event loop turns, sign-ins waiting on it go first.
        await sleep(pace.pauseMs);
      }
    } finally {
      loop.close();
      log.info({ jobId, ...paced }, 'user import paced');
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
