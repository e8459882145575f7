import { paginate, type GrantType, type OAuthClient } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function clientsCommand(program: Command, io: Io): void {
  const clients = program.command('clients').description("Manage a tenant's OAuth clients");
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());
  const json = () => program.opts<GlobalOptions>().json ?? false;

  clients.command('list <tenant>').action(async (tenant: string) => {
    const cp = client();
    const rows: OAuthClient[] = [];
    for await (const item of paginate((cursor) => cp.clients.list(tenant, { limit: 100, cursor })))
      rows.push(item);
    printRows(io, rows, ['client_id', 'name', 'type', 'grant_types'], json());
  });

  clients
    .command('create <tenant>')
    .description('Create a client; a confidential client secret is printed once')
    .requiredOption('--name <name>', 'display name')
    .option('--type <type>', 'public | confidential', 'confidential')
    .option('--redirect-uris <uris>', 'comma-separated redirect URIs', '')
    .option(
      '--grant-types <types>',
      'comma-separated grant types',
      'authorization_code,refresh_token',
    )
    .option('--scopes <scopes>', 'comma-separated scopes')
    .action(
      async (
        tenant: string,
        options: {
          name: string;
          type: 'public' | 'confidential';
          redirectUris: string;
          grantTypes: string;
          scopes?: string;
        },
      ) => {
        const created = await client().clients.create(tenant, {
          name: options.name,
          type: options.type,
          redirect_uris: list(options.redirectUris),
          grant_types: list(options.grantTypes) as GrantType[],
          ...(options.scopes ? { scopes: list(options.scopes) } : {}),
        });
        printObject(io, created, json());
        if (created.client_secret) io.err('Store the client_secret now: it is not shown again.\n');
      },
    );

  clients.command('get <tenant> <clientId>').action(async (tenant: string, clientId: string) => {
    printObject(io, await client().clients.get(tenant, clientId), json());
  });

  clients.command('delete <tenant> <clientId>').action(async (tenant: string, clientId: string) => {
    await client().clients.delete(tenant, clientId);
    io.out(`deleted ${clientId}\n`);
  });

  clients
    .command('rotate-secret <tenant> <clientId>')
    .description('Issue a new secret; the old one stops working at once')
    .action(async (tenant: string, clientId: string) => {
      printObject(io, await client().clients.rotateSecret(tenant, clientId), json());
    });
}
