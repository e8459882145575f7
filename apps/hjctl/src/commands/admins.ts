import { paginate, type Admin } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import { parseRole, parseTenants } from './api-keys';
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
    printRows(io, rows, ['id', 'email', 'role', 'tenants', 'status', 'created_at'], json());
  });

  admins
    .command('create <email>')
    .description('Create a CP admin; without --password it is invited by mail')
    .option('--password <password>', 'at least 12 characters (default: invite by mail)')
    .option('--role <role>', 'owner | admin | viewer', parseRole, 'viewer')
    .option('--tenants <refs>', 'comma-separated tenant ids or slugs (default: every tenant)')
    .action(
      async (
        email: string,
        options: { password?: string; role: 'owner' | 'admin' | 'viewer'; tenants?: string },
      ) => {
        printObject(
          io,
          await client().admins.create({
            email,
            ...(options.password === undefined ? {} : { password: options.password }),
            role: options.role,
            ...(options.tenants === undefined ? {} : { tenants: parseTenants(options.tenants) }),
          }),
          json(),
        );
      },
    );

  admins
    .command('update <id>')
    .description("Change an admin's role or tenants, or disable/enable it")
    .option('--role <role>', 'owner | admin | viewer', parseRole)
    .option('--tenants <refs>', 'comma-separated tenant ids or slugs, or * for every tenant')
    .option('--disable', 'disable the admin (its sessions end)')
    .option('--enable', 'enable the admin again')
    .action(
      async (
        id: string,
        options: {
          role?: 'owner' | 'admin' | 'viewer';
          tenants?: string;
          disable?: boolean;
          enable?: boolean;
        },
      ) => {
        if (options.disable && options.enable) throw new Error('--disable or --enable, not both');
        printObject(
          io,
          await client().admins.update(id, {
            ...(options.role === undefined ? {} : { role: options.role }),
            ...(options.tenants === undefined ? {} : { tenants: parseTenants(options.tenants) }),
            ...(options.disable ? { disabled: true } : {}),
            ...(options.enable ? { disabled: false } : {}),
          }),
          json(),
        );
      },
    );

  admins
    .command('resend-invitation <id>')
    .description('Mail an invited admin a new link (earlier links stop working)')
    .action(async (id: string) => {
      printObject(io, await client().admins.resendInvitation(id), json());
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
