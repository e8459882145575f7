import { paginate, type Admin } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

export function adminsCommand(program: Command, io: Io): void {
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const admins = program.command('admins').description('Manage CP admins');

  admins.command('list').action(async () => {
    const cp = client();
    const rows: Admin[] = [];
    for await (const admin of paginate((cursor) => cp.admins.list({ limit: 100, cursor })))
      rows.push(admin);
    printRows(io, rows, ['id', 'email', 'role', 'created_at'], json());
  });

  admins
    .command('create <email>')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--role <role>', 'owner | viewer', 'viewer')
    .action(async (email: string, options: { password: string; role: 'owner' | 'viewer' }) => {
      printObject(
        io,
        await client().admins.create({ email, password: options.password, role: options.role }),
        json(),
      );
    });

  admins.command('delete <id>').action(async (id: string) => {
    await client().admins.delete(id);
    io.out(`deleted ${id}\n`);
  });

  program
    .command('audit')
    .description('Read the audit log, newest first')
    .option('--actor <actor>')
    .option('--action <action>')
    .option('--target <target>')
    .option('--limit <n>', 'entries', '50')
    .action(
      async (options: { actor?: string; action?: string; target?: string; limit: string }) => {
        const page = await client().auditLog.list({
          limit: Number(options.limit),
          ...(options.actor ? { actor: options.actor } : {}),
          ...(options.action ? { action: options.action } : {}),
          ...(options.target ? { target: options.target } : {}),
        });
        printRows(io, page.data, ['created_at', 'actor', 'action', 'target', 'outcome'], json());
      },
    );
}
