import {
  paginate,
  type CreateClientInput,
  type GrantType,
  type IdTokenSigningAlg,
  type OAuthClient,
  type TokenEndpointAuthMethod,
  type UpdateClientInput,
} from '@hellojohn/sdk';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';
import { resourceIdOf } from './resource-ref';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A repeatable flag: each use adds one value; an empty value (`--flag ''`) adds none. */
const collect = (value: string, previous: string[] = []): string[] =>
  value.trim() === '' ? previous : [...previous, value.trim()];

/** Comma-separated or repeated; `''` adds none. */
const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...list(value),
];

const ID_TOKEN_ALGS: IdTokenSigningAlg[] = ['RS256', 'EdDSA', 'ES256'];
const AUTH_METHODS: TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];

/**
 * Seconds, or `tenant` (on update) to fall back to the tenant's setting; mapped to `null` later,
 * because commander turns a parser's `null` into an empty string.
 */
function ttl(allowTenant: boolean) {
  return (value: string): number | 'tenant' => {
    if (allowTenant && value === 'tenant') return 'tenant';
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(
        allowTenant ? 'expected seconds, or "tenant"' : 'expected seconds',
      );
    }
    return Number(value);
  };
}

/** The flags both `create` and `update` take, for the settings of browser sign-in. */
interface SettingFlags {
  allowedOrigin?: string[];
  postLogoutRedirectUri?: string[];
  firstParty?: boolean;
  accessTokenTtl?: number | 'tenant';
  refreshTokenTtl?: number | 'tenant';
  idTokenAlg?: IdTokenSigningAlg;
  authMethod?: TokenEndpointAuthMethod;
  logoUri?: string;
  clientUri?: string;
  policyUri?: string;
  tosUri?: string;
}

/**
 * Adds the setting flags to `command`. On `update` a list flag replaces the whole list (`''`
 * empties it), `tenant` resets a TTL and `''` clears a URI.
 */
function settingOptions(command: Command, mode: 'create' | 'update'): Command {
  const update = mode === 'update';
  const replaces = update ? '; replaces the list, "" empties it' : '';
  const clears = update ? '; "" clears it' : '';
  command
    .option(
      '--allowed-origin <origin>',
      `CORS origin (https://host[:port]), repeatable${replaces}`,
      collect,
    )
    .option(
      '--post-logout-redirect-uri <uri>',
      `where end-session may send the browser back, repeatable${replaces}`,
      collect,
    )
    .option('--first-party', 'a first-party client: users see no consent screen');
  if (update) command.option('--no-first-party', 'a third-party client: users consent');
  return command
    .option(
      '--access-token-ttl <seconds>',
      `access token lifetime, 60-86400${update ? ' ("tenant": the tenant\'s)' : " (default: the tenant's)"}`,
      ttl(update),
    )
    .option(
      '--refresh-token-ttl <seconds>',
      `refresh token lifetime, 300-31536000${update ? ' ("tenant": the tenant\'s)' : " (default: the tenant's)"}`,
      ttl(update),
    )
    .addOption(
      new Option(
        '--id-token-alg <alg>',
        `ID token signing algorithm${update ? '' : ' (default RS256)'}`,
      ).choices(ID_TOKEN_ALGS),
    )
    .addOption(
      new Option(
        '--auth-method <method>',
        `token endpoint authentication${update ? '' : ' (default: client_secret_basic, or none for public clients)'}`,
      ).choices(AUTH_METHODS),
    )
    .option('--logo-uri <uri>', `logo shown on the consent screen (https)${clears}`)
    .option('--client-uri <uri>', `home page linked on the consent screen (https)${clears}`)
    .option('--policy-uri <uri>', `privacy policy linked on the consent screen (https)${clears}`)
    .option('--tos-uri <uri>', `terms of service linked on the consent screen (https)${clears}`);
}

/** The settings the flags name, as wire fields; flags not given are left out. */
function settingsOf(flags: SettingFlags) {
  const uri = (value: string | undefined) =>
    value === undefined ? undefined : value === '' ? null : value;
  const seconds = (value: number | 'tenant' | undefined) => (value === 'tenant' ? null : value);
  const fields = {
    allowed_origins: flags.allowedOrigin,
    post_logout_redirect_uris: flags.postLogoutRedirectUri,
    first_party: flags.firstParty,
    access_token_ttl: seconds(flags.accessTokenTtl),
    refresh_token_ttl: seconds(flags.refreshTokenTtl),
    id_token_signed_response_alg: flags.idTokenAlg,
    token_endpoint_auth_method: flags.authMethod,
    logo_uri: uri(flags.logoUri),
    client_uri: uri(flags.clientUri),
    policy_uri: uri(flags.policyUri),
    tos_uri: uri(flags.tosUri),
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<typeof fields>;
}

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

  settingOptions(
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
      .option('--scopes <scopes>', 'comma-separated scopes'),
    'create',
  ).action(
    async (
      tenant: string,
      options: SettingFlags & {
        name: string;
        type: 'public' | 'confidential';
        redirectUris: string;
        grantTypes: string;
        scopes?: string;
      },
    ) => {
      const body: CreateClientInput = {
        name: options.name,
        type: options.type,
        redirect_uris: list(options.redirectUris),
        grant_types: list(options.grantTypes) as GrantType[],
        ...(options.scopes ? { scopes: list(options.scopes) } : {}),
        ...settingsOf(options),
      };
      const created = await client().clients.create(tenant, body);
      printObject(io, created, json());
      if (created.client_secret) io.err('Store the client_secret now: it is not shown again.\n');
    },
  );

  settingOptions(
    clients
      .command('update <tenant> <clientId>')
      .description('Change a client (only the flags given); its type never changes')
      .option('--name <name>', 'new display name')
      .option('--redirect-uris <uris>', 'comma-separated redirect URIs (replaces them)')
      .option('--grant-types <types>', 'comma-separated grant types (replaces them)')
      .option('--scopes <scopes>', 'comma-separated scopes (replaces them)'),
    'update',
  ).action(
    async (
      tenant: string,
      clientId: string,
      options: SettingFlags & {
        name?: string;
        redirectUris?: string;
        grantTypes?: string;
        scopes?: string;
      },
    ) => {
      const body: UpdateClientInput = {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.redirectUris !== undefined
          ? { redirect_uris: list(options.redirectUris) }
          : {}),
        ...(options.grantTypes !== undefined
          ? { grant_types: list(options.grantTypes) as GrantType[] }
          : {}),
        ...(options.scopes !== undefined ? { scopes: list(options.scopes) } : {}),
        ...settingsOf(options),
      };
      printObject(io, await client().clients.update(tenant, clientId, body), json());
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

  clients
    .command('grants <tenant> <clientId>')
    .description("List the client's grants on API resources")
    .action(async (tenant: string, clientId: string) => {
      const grants = await client().clients.grants(tenant, clientId);
      printRows(io, grants.data, ['resource_id', 'identifier', 'scopes'], json());
    });

  clients
    .command('grant <tenant> <clientId>')
    .description(
      'Set the scopes a confidential client may obtain for an API resource by client credentials',
    )
    .requiredOption('--resource <resource>', 'the API resource: its id or identifier')
    .requiredOption(
      '--scope <scope>',
      'a scope the resource defines, comma-separated or repeated; replaces the grant',
      collectList,
    )
    .action(
      async (tenant: string, clientId: string, options: { resource: string; scope: string[] }) => {
        const cp = client();
        const resourceId = await resourceIdOf(cp, tenant, options.resource);
        const grant = await cp.clients.grantResource(tenant, clientId, resourceId, options.scope);
        printObject(io, grant, json());
      },
    );

  clients
    .command('revoke-grant <tenant> <clientId>')
    .description("Remove the client's grant on an API resource")
    .requiredOption('--resource <resource>', 'the API resource: its id or identifier')
    .action(async (tenant: string, clientId: string, options: { resource: string }) => {
      const cp = client();
      const resourceId = await resourceIdOf(cp, tenant, options.resource);
      await cp.clients.revokeResource(tenant, clientId, resourceId);
      io.out(`revoked ${clientId}'s grant on ${options.resource}\n`);
    });
}
