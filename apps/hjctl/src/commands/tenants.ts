import { paginate, type Tenant } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

const COLUMNS = ['id', 'slug', 'name', 'status', 'issuer'];

function parseJson(flag: string, value: string): Record<string, unknown> {
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new Error(`${flag} must be JSON, e.g. '{"sign_up_enabled": false}'`);
  }
}

/** Polls until the tenant leaves `provisioning`, showing progress on stderr. */
async function waitUntilSettled(
  io: Io,
  get: () => Promise<Tenant>,
  timeoutMs: number,
): Promise<Tenant> {
  const started = Date.now();
  for (;;) {
    const tenant = await get();
    if (tenant.status !== 'provisioning') {
      io.err(
        `\r${tenant.slug}: ${tenant.status} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      return tenant;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${tenant.slug} is still provisioning`);
    io.err(`\r${tenant.slug}: provisioning… ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function tenantsCommand(program: Command, io: Io): void {
  const tenants = program.command('tenants').description('Manage tenants');
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());
  const json = () => program.opts<GlobalOptions>().json ?? false;

  tenants
    .command('list')
    .description('List every tenant (all pages)')
    .option('--status <status>', 'provisioning | active | failed | deleting')
    .action(async (options: { status?: Tenant['status'] }) => {
      const cp = client();
      const rows: Tenant[] = [];
      for await (const tenant of paginate((cursor) =>
        cp.tenants.list({ limit: 100, cursor, status: options.status }),
      )) {
        rows.push(tenant);
      }
      printRows(io, rows, COLUMNS, json());
    });

  tenants
    .command('get <tenant>')
    .description('Show a tenant by id or slug')
    .action(async (ref: string) => {
      printObject(io, await client().tenants.get(ref), json());
    });

  tenants
    .command('create <slug>')
    .description('Create a tenant; with --wait, until the data plane has provisioned it')
    .requiredOption('--name <name>', 'display name')
    .option('--settings <json>', 'tenant settings as JSON')
    .option('--external-dsn <dsn>', 'use an external database (postgres:// or mysql://)')
    .option('--wait', 'wait until active or failed')
    .option('--timeout <seconds>', 'how long --wait waits', '120')
    .action(
      async (
        slug: string,
        options: {
          name: string;
          settings?: string;
          externalDsn?: string;
          wait?: boolean;
          timeout: string;
        },
      ) => {
        const cp = client();
        const dsn = options.externalDsn;
        const created = await cp.tenants.create({
          slug,
          name: options.name,
          ...(options.settings ? { settings: parseJson('--settings', options.settings) } : {}),
          ...(dsn
            ? {
                database: {
                  mode: 'external' as const,
                  driver: dsn.startsWith('mysql') ? ('mysql' as const) : ('pg' as const),
                  dsn,
                },
              }
            : {}),
        });
        const tenant = options.wait
          ? await waitUntilSettled(
              io,
              () => cp.tenants.get(created.id),
              Number(options.timeout) * 1000,
            )
          : created;
        printObject(io, tenant, json());
        if (tenant.status === 'failed') process.exitCode = 1;
      },
    );

  tenants
    .command('update <tenant>')
    .description('Change the name or settings of a tenant')
    .option('--name <name>', 'new display name')
    .option('--settings <json>', 'new settings (replaces them as a whole)')
    .action(async (ref: string, options: { name?: string; settings?: string }) => {
      const updated = await client().tenants.update(ref, {
        ...(options.name ? { name: options.name } : {}),
        ...(options.settings ? { settings: parseJson('--settings', options.settings) } : {}),
      });
      printObject(io, updated, json());
    });

  tenants
    .command('delete <tenant>')
    .description('Delete a tenant (its managed database is dropped by the data plane)')
    .action(async (ref: string) => {
      const tenant = await client().tenants.delete(ref);
      io.out(`${tenant.slug}: ${tenant.status}\n`);
    });

  tenants
    .command('rotate-keys <tenant>')
    .description("Rotate the tenant's signing keys")
    .action(async (ref: string) => {
      printObject(io, await client().tenants.rotateKeys(ref), json());
    });
}
