import { paginate, type ApiKey, type OperatorRole } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

const ROLES: readonly string[] = ['owner', 'admin', 'viewer'];

/** `--role`, checked here so a typo fails before any request. */
export function parseRole(value: string): OperatorRole {
  if (!ROLES.includes(value)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return value as OperatorRole;
}

/** `--tenants a,b` (ids or slugs), or `*` for every tenant. */
export function parseTenants(value: string): '*' | string[] {
  if (value.trim() === '*') return '*';
  return value
    .split(',')
    .map((ref) => ref.trim())
    .filter((ref) => ref.length > 0);
}

export function apiKeysCommand(program: Command, io: Io): void {
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const keys = program
    .command('api-keys')
    .description('Manage API keys (hjk_...): bearer credentials for automation');

  keys.command('list').action(async () => {
    const cp = client();
    const rows: ApiKey[] = [];
    for await (const key of paginate((cursor) => cp.apiKeys.list({ limit: 100, cursor })))
      rows.push(key);
    printRows(
      io,
      rows,
      ['id', 'name', 'role', 'tenants', 'last4', 'expires_at', 'last_used_at'],
      json(),
    );
  });

  keys
    .command('create <name>')
    .description('Create a key; it is printed once')
    .requiredOption('--role <role>', 'owner | admin | viewer', parseRole)
    .option('--tenants <refs>', 'comma-separated tenant ids or slugs (default: every tenant)')
    .option('--expires-at <iso>', 'when the key stops working (ISO-8601)')
    .action(
      async (
        name: string,
        options: { role: OperatorRole; tenants?: string; expiresAt?: string },
      ) => {
        const created = await client().apiKeys.create({
          name,
          role: options.role,
          ...(options.tenants === undefined ? {} : { tenants: parseTenants(options.tenants) }),
          ...(options.expiresAt === undefined ? {} : { expires_at: options.expiresAt }),
        });
        printObject(io, created, json());
        if (!json()) io.err('Store the key now: it is not shown again.\n');
      },
    );

  keys
    .command('rotate <id>')
    .description('Replace a key; the old one keeps working for --overlap seconds')
    .option('--overlap <seconds>', 'how long the old key keeps working', '0')
    .action(async (id: string, options: { overlap: string }) => {
      const overlap = Number(options.overlap);
      if (!Number.isInteger(overlap) || overlap < 0) {
        throw new Error('--overlap must be a whole number of seconds');
      }
      printObject(io, await client().apiKeys.rotate(id, overlap), json());
      if (!json()) io.err('Store the new key now: it is not shown again.\n');
    });

  keys
    .command('revoke <id>')
    .description('Revoke a key on both planes')
    .action(async (id: string) => {
      await client().apiKeys.revoke(id);
      io.out(`revoked ${id}\n`);
    });
}
