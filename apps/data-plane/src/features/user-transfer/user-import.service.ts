import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ImportJobRow, ImportLineError } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { storePasswordHashKey } from '../../credentials/imported/open-password-hash-key';
import type { AdminActor } from '../../guards/require-cp-admin';
import type { TenantContext } from '../../tenancy/tenant-context';
import { sealTotpSecret } from '../mfa';
import {
  createAccessResolver,
  createProviderCheck,
  type IdentityProviderIds,
  type LineAccess,
  type StagedAccess,
} from './import-access';
import type { ImportRunner } from './import-runner';
import { parseImportLine, type StagedUser } from './parse-import-line';
import { readImportBody, type ImportUpload } from './read-import-body';

/** The largest upload one import takes (inflated size), this route only: 100 MB. */
const IMPORT_BODY_LIMIT_BYTES = 100 * 1024 * 1024;

/** Lines stored per transaction while the upload is read: short transactions. */
const RECEIVE_CHUNK = 500;

/**
 * Lines validated between two turns of the event loop. A stream whose data is already buffered
 * feeds `for await` through microtasks alone, so without this a large upload would be parsed and
 * validated in one stretch while the tenant's sign-ins wait behind it.
 */
const LINES_PER_TURN = 100;

export interface UserImportService {
  /**
   * Reads and validates the upload line by line, storing the valid lines with the job, then
   * queues the job and answers its id. A refused upload (413, malformed array) fails the job.
   */
  start(
    tenant: TenantContext,
    actor: AdminActor,
    upload: ImportUpload,
    kind: 'lines' | 'array',
    meta: RequestMeta,
  ): Promise<string>;
  /** The job; one left unfinished by a dead process is resumed (or failed if its upload was cut). */
  status(tenant: TenantContext, jobId: string): Promise<ImportJobRow>;
}

interface Chunk {
  lines: Array<{ line: number; payload: string }>;
  read: number;
  errors: ImportLineError[];
  ignored: Record<string, number>;
}

const newChunk = (): Chunk => ({ lines: [], read: 0, errors: [], ignored: {} });

export function createUserImportService(deps: {
  masterKey: Buffer;
  identityProviders: IdentityProviderIds;
  runner: ImportRunner;
  leaseMs: number;
  bodyLimitBytes?: number;
}): UserImportService {
  const lease = (): Date => new Date(Date.now() + deps.leaseMs);
  const limit = deps.bodyLimitBytes ?? IMPORT_BODY_LIMIT_BYTES;

  async function receive(
    tenant: TenantContext,
    jobId: string,
    upload: ImportUpload,
    kind: 'lines' | 'array',
  ): Promise<{ read: number; failed: number }> {
    const keyIds = new Map<string, string>();
    const resolve = createAccessResolver(tenant.db);
    const checkProviders = createProviderCheck(deps.identityProviders, tenant.config.id);
    /** Roles, organizations and providers checked now, so an unknown one is reported with its line. */
    const stage = async (access: LineAccess): Promise<StagedAccess | string> => {
      const unknownProvider = await checkProviders(access.identities ?? []);
      if (unknownProvider !== undefined) return unknownProvider;
      const checked = await resolve(access);
      if (!checked.ok) return checked.reason;
      const { totp, ...names } = access;
      if (totp === undefined) return names;
      // Sealed before it is stored with the job: the waiting line never holds the secret in clear.
      const factorId = randomUUID();
      const sealed = sealTotpSecret(deps.masterKey, tenant.config.id, factorId, totp.secret);
      return { ...names, totp: { factorId, sealed, name: totp.name } };
    };
    const totals = { read: 0, failed: 0 };
    let chunk = newChunk();
    const flush = async (): Promise<void> => {
      await tenant.db.userImports.appendReceived(jobId, { ...chunk, leaseUntil: lease() });
      totals.read += chunk.read;
      totals.failed += chunk.errors.length;
      chunk = newChunk();
    };
    for await (const raw of readImportBody(upload, kind, limit)) {
      const parsed = parseImportLine(raw);
      chunk.read += 1;
      const access = parsed.ok && parsed.access ? await stage(parsed.access) : undefined;
      if (!parsed.ok) {
        chunk.errors.push({ line: raw.line, reason: parsed.reason });
      } else if (typeof access === 'string') {
        chunk.errors.push({ line: raw.line, reason: access });
      } else {
        let user: StagedUser = access ? { ...parsed.user, access } : parsed.user;
        if (parsed.secretKey && user.password?.kind === 'imported') {
          const fingerprintKey = parsed.secretKey.toString('base64');
          let keyId = keyIds.get(fingerprintKey);
          if (keyId === undefined) {
            keyId = await storePasswordHashKey(tenant.db, deps.masterKey, parsed.secretKey);
            keyIds.set(fingerprintKey, keyId);
          }
          const password = { ...user.password, params: { ...user.password.params, key_id: keyId } };
          user = { ...user, password };
        }
        for (const field of parsed.ignored) chunk.ignored[field] = (chunk.ignored[field] ?? 0) + 1;
        chunk.lines.push({ line: raw.line, payload: JSON.stringify(user) });
      }
      if (chunk.read >= RECEIVE_CHUNK) await flush();
      else if (chunk.read % LINES_PER_TURN === 0) await nextTurn();
    }
    if (chunk.read > 0) await flush();
    return totals;
  }

  return {
    async start(tenant, actor, upload, kind, meta) {
      const jobId = randomUUID();
      const createdBy = `cp-admin:${actor.adminId}`;
      await tenant.db.userImports.create({ id: jobId, createdBy, leaseUntil: lease() });
      let totals: { read: number; failed: number };
      try {
        totals = await receive(tenant, jobId, upload, kind);
      } catch (error) {
        const reason =
          error instanceof AppError
            ? `the upload was refused: ${error.detail ?? error.code}`
            : 'the upload was interrupted before it was complete';
        await tenant.db.userImports.finish(jobId, 'failed', reason);
        throw error;
      }
      if (totals.read === 0) {
        await tenant.db.userImports.finish(jobId, 'failed', 'the upload held no user');
        throw new AppError('validation_failed', 'The body holds no user.', {
          errors: [{ path: 'body', message: 'must hold at least one user' }],
        });
      }
      await tenant.db.userImports.markQueued(jobId);
      await audit(tenant.db, meta, {
        action: 'user_import.started',
        outcome: 'success',
        actor: createdBy,
        target: jobId,
        details: { lines: totals.read, refused: totals.failed },
      });
      deps.runner.enqueue(tenant, jobId);
      return jobId;
    },

    async status(tenant, jobId) {
      const job = await tenant.db.userImports.find(jobId);
      if (!job) throw new AppError('import_job_not_found');
      const lapsed = job.leaseUntil === null || job.leaseUntil.getTime() < Date.now();
      if (job.status === 'receiving' && lapsed) {
        // Its upload died with the process that read it: nothing of it was imported.
        const reason = 'the upload was interrupted before it was complete; nothing was imported';
        await tenant.db.userImports.finish(jobId, 'failed', reason);
        return { ...job, status: 'failed', failureReason: reason };
      }
      if ((job.status === 'queued' || job.status === 'running') && lapsed) {
        deps.runner.enqueue(tenant, jobId);
      }
      return job;
    },
  };
}
