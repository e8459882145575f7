import type { Command } from 'commander';
import type { DataPlaneClient } from '@hellojohn/sdk';
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
}
