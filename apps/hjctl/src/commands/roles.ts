import type { Command } from 'commander';
import { tenantAdminClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';
import { userIdOf } from './user-ref';

interface TenantOptions {
  tenant: string;
  dpUrl?: string;
}

/** `a:b,c:d` or repeated flags, as one list. */
const permissionList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
];

/** Tenant roles and who holds them (tenant RBAC on the data plane, docs/organizations.md). */
export function rolesCommand(program: Command, io: Io): void {
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const roles = program
    .command('roles')
    .description("Manage a tenant's roles and assign them (on the data plane)")
    .requiredOption('--tenant <tenant>', 'tenant slug or id')
    .option('--dp-url <url>', 'data-plane URL (env HJCTL_DP_URL, default http://localhost:8080)');
  const client = () => {
    const options = roles.opts<TenantOptions>();
    return tenantAdminClient(io, program.opts<GlobalOptions>(), options.tenant, options.dpUrl);
  };

  roles
    .command('list')
    .description('List the roles')
    .action(async () => {
      const { dp, token } = client();
      const list = await dp.admin.roles.list(token);
      printRows(io, list.data, ['key', 'name', 'permissions'], json());
    });

  roles
    .command('get <key>')
    .description('Show a role')
    .action(async (key: string) => {
      const { dp, token } = client();
      printObject(io, await dp.admin.roles.get(token, key), json());
    });

  roles
    .command('create <key>')
    .description('Create a role')
    .requiredOption('--name <name>', 'display name')
    .option('--permission <list>', 'resource:action, comma-separated or repeated', permissionList)
    .action(async (key: string, options: { name: string; permission?: string[] }) => {
      const { dp, token } = client();
      const role = await dp.admin.roles.create(token, {
        key,
        name: options.name,
        permissions: options.permission ?? [],
      });
      printObject(io, role, json());
    });

  roles
    .command('update <key>')
    .description("Change a role's name or replace its permissions")
    .option('--name <name>', 'display name')
    .option(
      '--permission <list>',
      'the new permissions, comma-separated or repeated',
      permissionList,
    )
    .action(async (key: string, options: { name?: string; permission?: string[] }) => {
      const { dp, token } = client();
      const role = await dp.admin.roles.update(token, key, {
        ...(options.name !== undefined && { name: options.name }),
        ...(options.permission !== undefined && { permissions: options.permission }),
      });
      printObject(io, role, json());
    });

  roles
    .command('delete <key>')
    .description('Delete a role (taking it from everyone holding it)')
    .action(async (key: string) => {
      const { dp, token } = client();
      await dp.admin.roles.remove(token, key);
      io.out(`deleted role ${key}\n`);
    });

  roles
    .command('assign <user> <key>')
    .description('Give a user (id or email) a role')
    .action(async (ref: string, key: string) => {
      const { dp, token } = client();
      const id = await userIdOf(dp, token, ref);
      await dp.admin.roles.assign(token, id, key);
      io.out(`gave ${key} to ${id}\n`);
    });

  roles
    .command('unassign <user> <key>')
    .description('Take a role from a user (id or email)')
    .action(async (ref: string, key: string) => {
      const { dp, token } = client();
      const id = await userIdOf(dp, token, ref);
      await dp.admin.roles.unassign(token, id, key);
      io.out(`took ${key} from ${id}\n`);
    });
}
