import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { DataPlaneClient, UserImportJob } from '@hellojohn/sdk';
import { tenantAdminClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printRows } from '../output';

interface TenantOptions {
  tenant: string;
  dpUrl?: string;
}

/** A user id as given, or the id of the one user whose email is exactly `ref`. */
async function userIdOf(dp: DataPlaneClient, token: string, ref: string): Promise<string> {
  if (!ref.includes('@')) return ref;
  const page = await dp.admin.users.list(token, { email: ref, limit: 100 });
  const user = page.data.find((u) => u.email.toLowerCase() === ref.toLowerCase());
  if (!user) throw new Error(`no user with email ${ref}`);
  return user.id;
}

/** How often `users import` asks for progress. */
const POLL_MS = 1000;

function progressLine(job: UserImportJob): string {
  const done = job.imported + job.updated + job.failed;
  return `${job.status}: ${String(done)}/${String(job.total)} lines (imported ${String(job.imported)}, updated ${String(job.updated)}, failed ${String(job.failed)})`;
}

/** Tenant users on the data plane (tenant-admin routes, the CP admin token). */
export function usersCommand(program: Command, io: Io): void {
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const users = program
    .command('users')
    .description("Manage a tenant's users (on the data plane)")
    .requiredOption('--tenant <tenant>', 'tenant slug or id')
    .option('--dp-url <url>', 'data-plane URL (env HJCTL_DP_URL, default http://localhost:8080)');
  const client = () => {
    const options = users.opts<TenantOptions>();
    return tenantAdminClient(io, program.opts<GlobalOptions>(), options.tenant, options.dpUrl);
  };
  const mfa = users.command('mfa').description("A user's second factors (docs/mfa.md)");

  mfa
    .command('list <user>')
    .description('List the factors of a user (id or email)')
    .action(async (ref: string) => {
      const { dp, token } = client();
      const result = await dp.admin.users.mfa.get(token, await userIdOf(dp, token, ref));
      if (json()) {
        io.out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      printRows(io, result.factors, ['id', 'type', 'name', 'confirmed', 'last_used_at'], false);
      io.out(`recovery codes left: ${String(result.recovery_codes_remaining)}\n`);
    });

  mfa
    .command('reset <user>')
    .description('Delete every factor and recovery code of a user (id or email)')
    .action(async (ref: string) => {
      const { dp, token } = client();
      const id = await userIdOf(dp, token, ref);
      await dp.admin.users.mfa.reset(token, id);
      io.out(`reset MFA of ${id}\n`);
    });

  users
    .command('import <file>')
    .description(
      'Import users from a JSON Lines file (or a JSON array with --array): progress, then a summary (docs/migration.md)',
    )
    .option('--array', 'the file is one JSON array, not JSON Lines')
    .option('--no-wait', 'print the job id and return without waiting for the job')
    .action(async (file: string, options: { array?: boolean; wait: boolean }) => {
      const { dp, token } = client();
      // Streamed from disk: a file of hundreds of thousands of users is never held in memory.
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
      const accepted = await dp.admin.users.import(token, body, {
        format: options.array ? 'array' : 'lines',
      });
      if (!options.wait) {
        io.out(json() ? `${JSON.stringify(accepted)}\n` : `job ${accepted.job_id}\n`);
        return;
      }
      io.err(`job ${accepted.job_id}\n`);
      let job = await dp.admin.users.importStatus(token, accepted.job_id);
      while (job.status !== 'succeeded' && job.status !== 'failed') {
        io.err(`${progressLine(job)}\n`);
        await sleep(POLL_MS);
        job = await dp.admin.users.importStatus(token, accepted.job_id);
      }
      if (json()) {
        io.out(`${JSON.stringify(job, null, 2)}\n`);
      } else {
        io.out(`${progressLine(job)}\n`);
        if (job.failure_reason) io.out(`reason: ${job.failure_reason}\n`);
        for (const error of job.errors) io.out(`line ${String(error.line)}: ${error.reason}\n`);
        if (job.failed > job.errors.length) {
          io.out(`(${String(job.failed - job.errors.length)} more failures not listed)\n`);
        }
      }
      if (job.status === 'failed') process.exitCode = 1;
    });

  users
    .command('export')
    .description("Write the tenant's users to stdout as JSON Lines (docs/migration.md)")
    .option('--include-password-hashes', 'include password hashes (owner only; audited)')
    .action(async (options: { includePasswordHashes?: boolean }) => {
      const { dp, token } = client();
      let count = 0;
      for await (const user of dp.admin.users.export(token, {
        includePasswordHashes: options.includePasswordHashes ?? false,
      })) {
        io.out(`${JSON.stringify(user)}\n`);
        count += 1;
      }
      io.err(`exported ${String(count)} users\n`);
    });
}
