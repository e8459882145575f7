import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbInt, dbJson, toJson } from '../internal/columns';

const importJobStatuses = ['receiving', 'queued', 'running', 'succeeded', 'failed'] as const;
export type ImportJobStatus = (typeof importJobStatuses)[number];

/** A line the import refused, and why (never the line's content). */
export interface ImportLineError {
  line: number;
  reason: string;
}

const lineError = z.object({ line: z.number(), reason: z.string() });

const jobSchema = z
  .object({
    id: z.string(),
    status: z.enum(importJobStatuses),
    created_by: z.string(),
    total: dbInt,
    imported: dbInt,
    updated: dbInt,
    failed: dbInt,
    errors: dbJson.pipe(z.array(lineError)),
    ignored_fields: dbJson.pipe(z.record(z.string(), z.number())),
    failure_reason: z.string().nullable(),
    lease_until: dbDateOrNull,
    created_at: dbDate,
    updated_at: dbDate,
    finished_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    status: r.status,
    createdBy: r.created_by,
    total: r.total,
    imported: r.imported,
    updated: r.updated,
    failed: r.failed,
    errors: r.errors,
    ignoredFields: r.ignored_fields,
    failureReason: r.failure_reason,
    leaseUntil: r.lease_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  }));

/** One user import job of a tenant: its counts, its first errors, its lease. */
export type ImportJobRow = z.output<typeof jobSchema>;

/** What a received chunk of the upload adds to its job. */
export interface ReceivedChunk {
  /** Validated lines, to be written later; `payload` is the line as JSON text. */
  lines: Array<{ line: number; payload: string }>;
  /** Lines read in this chunk (valid or not). */
  read: number;
  errors: ImportLineError[];
  /** Per field name, how many lines of the chunk carried a field that is not imported. */
  ignored: Record<string, number>;
  leaseUntil: Date;
}

/** A user as a batch writes it: found by `emailNormalized`, created or updated. */
export interface ImportedUserWrite {
  line: number;
  email: string;
  emailNormalized: string;
  name?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
  emailVerified?: boolean | undefined;
  status?: 'active' | 'disabled' | undefined;
  /** Only for a new user: when it was created at the source. */
  createdAt?: Date | undefined;
  /** `native`: already the tenant's own scheme; `imported`: verified at sign-in, then rehashed. */
  password?:
    | { kind: 'native'; hash: string }
    | { kind: 'imported'; algorithm: string; hash: string; params: Record<string, unknown> }
    | undefined;
}

/** What one committed batch did. */
export interface BatchOutcome {
  imported: number;
  updated: number;
  errors: ImportLineError[];
}

/** At most this many errors are kept per job; `failed` keeps counting past it. */
const MAX_STORED_IMPORT_ERRORS = 1000;

/** User import jobs, their waiting lines, and the batch writes that import them. */
export interface UserImportJobRepository {
  create(job: { id: string; createdBy: string; leaseUntil: Date }): Promise<ImportJobRow>;
  find(id: string): Promise<ImportJobRow | undefined>;
  /** Jobs not finished (to resume after a restart), oldest first. */
  listUnfinished(limit: number): Promise<ImportJobRow[]>;
  /** Stores a chunk of the upload and adds its counts, in one transaction. */
  appendReceived(id: string, chunk: ReceivedChunk): Promise<void>;
  /** The upload is complete: the job waits for a runner. */
  markQueued(id: string): Promise<void>;
  /**
   * Takes the job for a runner until `leaseUntil`: a queued job, or a running one whose lease
   * has lapsed (its runner died). False when another runner holds it or it is finished.
   */
  claim(id: string, now: Date, leaseUntil: Date): Promise<boolean>;
  /** The next waiting lines, in line order. */
  nextLines(id: string, limit: number): Promise<Array<{ line: number; payload: string }>>;
  /**
   * Writes a batch of users in one transaction, removes its lines from the waiting ones and adds
   * its counts to the job, extending the lease. A line whose write fails is reported, not fatal.
   */
  applyBatch(
    id: string,
    users: readonly ImportedUserWrite[],
    lines: readonly number[],
    leaseUntil: Date,
  ): Promise<BatchOutcome>;
  /** Ends the job (`succeeded` or `failed` with a reason); waiting lines are dropped. */
  finish(id: string, status: 'succeeded' | 'failed', reason?: string): Promise<void>;
}

function mergeCounts(
  into: Record<string, number>,
  more: Record<string, number>,
): Record<string, number> {
  const out = { ...into };
  for (const [key, n] of Object.entries(more)) out[key] = (out[key] ?? 0) + n;
  return out;
}

const existingRow = z.object({ id: z.string(), email_normalized: z.string() });

/** Builds the user import repository over a tenant's knex handle or transaction. */
export function createUserImportJobRepository(
  db: Knex | Knex.Transaction,
): UserImportJobRepository {
  const find = async (
    id: string,
    q: Knex | Knex.Transaction = db,
  ): Promise<ImportJobRow | undefined> => {
    const row: unknown = await q('user_import_jobs').where({ id }).first();
    return row === undefined ? undefined : jobSchema.parse(row);
  };

  /** Adds counts and errors to the job row; the caller holds the transaction. */
  async function addCounts(
    trx: Knex.Transaction,
    id: string,
    delta: {
      total?: number;
      imported?: number;
      updated?: number;
      errors: ImportLineError[];
      ignored?: Record<string, number>;
      leaseUntil: Date;
    },
  ): Promise<void> {
    const job = await find(id, trx);
    if (!job) throw new Error(`import job ${id} vanished`);
    const errors = [...job.errors, ...delta.errors].slice(0, MAX_STORED_IMPORT_ERRORS);
    await trx('user_import_jobs')
      .where({ id })
      .update({
        total: job.total + (delta.total ?? 0),
        imported: job.imported + (delta.imported ?? 0),
        updated: job.updated + (delta.updated ?? 0),
        // Every error is a failed line; only the first ones are kept.
        failed: job.failed + delta.errors.length,
        errors: toJson(errors),
        ignored_fields: toJson(mergeCounts(job.ignoredFields, delta.ignored ?? {})),
        lease_until: delta.leaseUntil,
        updated_at: new Date(),
      });
  }

  /**
   * Creates or updates the batch's users by email, then sets the passwords the lines carry: a
   * handful of statements per batch (multi-row inserts), not a handful per line.
   */
  async function writeAll(
    trx: Knex.Transaction,
    users: readonly ImportedUserWrite[],
  ): Promise<{ imported: number; updated: number }> {
    const keys = [...new Set(users.map((u) => u.emailNormalized))];
    const rows: unknown[] = await trx('users')
      .select('id', 'email_normalized')
      .whereIn('email_normalized', keys);
    const ids = new Map(
      rows.map((row) => existingRow.parse(row)).map((r) => [r.email_normalized, r.id]),
    );
    const now = new Date();
    // New users of this batch by email: a later line with the same email changes the row to insert.
    const pending = new Map<string, Record<string, unknown>>();
    const passwords = new Map<string, NonNullable<ImportedUserWrite['password']>>();
    let imported = 0;
    let updated = 0;
    for (const user of users) {
      const changes: Record<string, unknown> = {};
      if (user.name !== undefined) changes['name'] = user.name;
      if (user.metadata !== undefined) changes['metadata'] = toJson(user.metadata);
      if (user.emailVerified !== undefined) changes['email_verified'] = user.emailVerified;
      if (user.status !== undefined) changes['status'] = user.status;
      let userId = ids.get(user.emailNormalized);
      const waiting = pending.get(user.emailNormalized);
      if (userId === undefined) {
        userId = randomUUID();
        ids.set(user.emailNormalized, userId);
        pending.set(user.emailNormalized, {
          id: userId,
          email: user.email,
          email_normalized: user.emailNormalized,
          name: null,
          metadata: toJson({}),
          status: 'active',
          email_verified: false,
          created_at: user.createdAt ?? now,
          updated_at: now,
          ...changes,
        });
        imported += 1;
      } else if (waiting) {
        Object.assign(waiting, changes);
        updated += 1;
      } else {
        await trx('users')
          .where({ id: userId })
          .update({ ...changes, updated_at: now });
        updated += 1;
      }
      if (user.password !== undefined) passwords.set(userId, user.password);
    }
    const chunks = <T>(items: readonly T[]): T[][] =>
      Array.from({ length: Math.ceil(items.length / 100) }, (_, i) =>
        items.slice(i * 100, i * 100 + 100),
      );
    for (const chunk of chunks([...pending.values()])) await trx('users').insert(chunk);
    // The file is the source of truth: its hash replaces whatever password the user had.
    const credentialRows = [...passwords].map(([userId, password]) => {
      const native = password.kind === 'native';
      return {
        id: randomUUID(),
        user_id: userId,
        type: native ? 'password' : 'imported',
        secret_hash: password.hash,
        algorithm: native ? null : password.algorithm,
        params: native ? null : toJson(password.params),
        created_at: now,
        updated_at: now,
      };
    });
    for (const chunk of chunks(credentialRows)) {
      await trx('credentials')
        .insert(chunk)
        .onConflict(['user_id', 'type'])
        .merge(['secret_hash', 'algorithm', 'params', 'updated_at']);
    }
    for (const [kept, dropped] of [
      ['password', 'imported'],
      ['imported', 'password'],
    ] as const) {
      const owners = credentialRows.filter((r) => r.type === kept).map((r) => r.user_id);
      for (const chunk of chunks(owners)) {
        await trx('credentials').where({ type: dropped }).whereIn('user_id', chunk).delete();
      }
    }
    return { imported, updated };
  }

  return {
    async create(job) {
      const now = new Date();
      const raw = {
        id: job.id,
        status: 'receiving',
        created_by: job.createdBy,
        total: 0,
        imported: 0,
        updated: 0,
        failed: 0,
        errors: toJson([]),
        ignored_fields: toJson({}),
        failure_reason: null,
        lease_until: job.leaseUntil,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      try {
        await db('user_import_jobs').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return jobSchema.parse(raw);
    },

    find: (id) => find(id),

    async listUnfinished(limit) {
      const rows: unknown[] = await db('user_import_jobs')
        .whereIn('status', ['receiving', 'queued', 'running'])
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .limit(limit);
      return rows.map((row) => jobSchema.parse(row));
    },

    async appendReceived(id, chunk) {
      await db.transaction(async (trx) => {
        // Small multi-row inserts: SQLite binds at most 32766 parameters per statement.
        for (let i = 0; i < chunk.lines.length; i += 200) {
          const rows = chunk.lines
            .slice(i, i + 200)
            .map((l) => ({ job_id: id, line: l.line, payload: l.payload }));
          await trx('user_import_lines').insert(rows);
        }
        await addCounts(trx, id, {
          total: chunk.read,
          errors: chunk.errors,
          ignored: chunk.ignored,
          leaseUntil: chunk.leaseUntil,
        });
      });
    },

    async markQueued(id) {
      await db('user_import_jobs')
        .where({ id, status: 'receiving' })
        .update({ status: 'queued', lease_until: null, updated_at: new Date() });
    },

    async claim(id, now, leaseUntil) {
      const count = await db('user_import_jobs')
        .where({ id })
        .andWhere((q) => {
          void q
            .where({ status: 'queued' })
            .orWhere((r) => void r.where({ status: 'running' }).andWhere('lease_until', '<', now));
        })
        .update({ status: 'running', lease_until: leaseUntil, updated_at: now });
      return count > 0;
    },

    async nextLines(id, limit) {
      const rows: unknown[] = await db('user_import_lines')
        .select('line', 'payload')
        .where({ job_id: id })
        .orderBy('line')
        .limit(limit);
      return rows.map((row) => z.object({ line: dbInt, payload: z.string() }).parse(row));
    },

    async applyBatch(id, users, lines, leaseUntil) {
      const done = async (trx: Knex.Transaction, counts: BatchOutcome): Promise<BatchOutcome> => {
        await trx('user_import_lines').where({ job_id: id }).whereIn('line', lines).delete();
        await addCounts(trx, id, { ...counts, leaseUntil });
        return counts;
      };
      try {
        return await db.transaction(async (trx) =>
          done(trx, { ...(await writeAll(trx, users)), errors: [] }),
        );
      } catch {
        // One bad line must not sink its batch: write them one by one, each on its own.
        const outcome: BatchOutcome = { imported: 0, updated: 0, errors: [] };
        for (const user of users) {
          try {
            const counts = await db.transaction((trx) => writeAll(trx, [user]));
            outcome.imported += counts.imported;
            outcome.updated += counts.updated;
          } catch {
            outcome.errors.push({
              line: user.line,
              reason: 'could not be written to the database',
            });
          }
        }
        return db.transaction(async (trx) => done(trx, outcome));
      }
    },

    async finish(id, status, reason) {
      await db.transaction(async (trx) => {
        await trx('user_import_lines').where({ job_id: id }).delete();
        const now = new Date();
        await trx('user_import_jobs')
          .where({ id })
          .update({
            status,
            failure_reason: reason ?? null,
            lease_until: null,
            updated_at: now,
            finished_at: now,
          });
      });
    },
  };
}
