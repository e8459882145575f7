import type {
  ApiResource,
  ApiResourceScope,
  ApiResourceSubjects,
  ApiResourceTokenAlg,
  UpdateApiResourceInput,
} from '@hellojohn/sdk';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';
import { resourceIdOf } from './resource-ref';

const ALGS: ApiResourceTokenAlg[] = ['EdDSA', 'RS256', 'ES256'];
const SUBJECTS: ApiResourceSubjects[] = ['users', 'machines', 'both'];

/**
 * `name[=description]`. Not `name:description`: permission names are `resource:action`, and a
 * scope token (RFC 6749 §3.3) has no space, so `=` is the one separator that reads naturally.
 */
function scopeOf(value: string): ApiResourceScope {
  const at = value.indexOf('=');
  const name = (at === -1 ? value : value.slice(0, at)).trim();
  const description = at === -1 ? '' : value.slice(at + 1).trim();
  if (name === '') throw new InvalidArgumentError('expected name[=description]');
  return { name, description: description === '' ? null : description };
}

/** A repeatable `--scope`; an empty value (`--scope ''`) adds none, so it can empty the list. */
const scopes = (value: string, previous: ApiResourceScope[] = []): ApiResourceScope[] =>
  value.trim() === '' ? previous : [...previous, scopeOf(value)];

/** A repeatable flag of plain names. */
const names = (value: string, previous: string[] = []): string[] =>
  value.trim() === '' ? previous : [...previous, value.trim()];

/**
 * Seconds, or `default` (on update) for the client's, else the tenant's lifetime; mapped to
 * `null` later, because commander turns a parser's `null` into an empty string.
 */
function ttl(allowDefault: boolean) {
  return (value: string): number | 'default' => {
    if (allowDefault && value === 'default') return 'default';
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(
        allowDefault ? 'expected seconds, or "default"' : 'expected seconds',
      );
    }
    return Number(value);
  };
}

interface ResourceFlags {
  identifier?: string;
  name?: string;
  scope?: ApiResourceScope[];
  alg?: ApiResourceTokenAlg;
  ttl?: number | 'default';
  subjects?: ApiResourceSubjects;
}

/** The flags `create` and `update` share. */
function resourceOptions(command: Command, mode: 'create' | 'update'): Command {
  const update = mode === 'update';
  return command
    .option(
      '--scope <name[=description]>',
      `a permission of the API, repeatable${update ? '; replaces them all, "" empties them' : ''}`,
      scopes,
    )
    .addOption(
      new Option(
        '--alg <alg>',
        `access token signing algorithm${update ? '' : ' (default EdDSA)'}`,
      ).choices(ALGS),
    )
    .option(
      '--ttl <seconds>',
      `access token lifetime, 60-86400${update ? ' ("default": the client\'s, else the tenant\'s)' : " (default: the client's, else the tenant's)"}`,
      ttl(update),
    )
    .addOption(
      new Option(
        '--subjects <who>',
        `who may get tokens for it${update ? '' : ' (default both)'}`,
      ).choices(SUBJECTS),
    );
}

/** The fields the flags name, as wire fields; flags not given are left out. */
function fieldsOf(flags: ResourceFlags) {
  return {
    ...(flags.identifier !== undefined && { identifier: flags.identifier }),
    ...(flags.name !== undefined && { name: flags.name }),
    ...(flags.scope !== undefined && { scopes: flags.scope }),
    ...(flags.alg !== undefined && { access_token_alg: flags.alg }),
    ...(flags.ttl !== undefined && {
      access_token_ttl: flags.ttl === 'default' ? null : flags.ttl,
    }),
    ...(flags.subjects !== undefined && { subjects: flags.subjects }),
  };
}

/** `--add-scope` and `--remove-scope` applied to the scopes the resource has now. */
function editedScopes(
  current: ApiResourceScope[],
  add: ApiResourceScope[],
  remove: string[],
): ApiResourceScope[] {
  const missing = remove.filter((name) => !current.some((scope) => scope.name === name));
  if (missing.length > 0) {
    throw new Error(`--remove-scope: not a scope of this API resource: ${missing.join(', ')}`);
  }
  const added = new Map(add.map((scope) => [scope.name, scope]));
  const kept = current
    .filter((scope) => !remove.includes(scope.name))
    .map((scope) => added.get(scope.name) ?? scope);
  const known = new Set(current.map((scope) => scope.name));
  return [...kept, ...add.filter((scope) => !known.has(scope.name))];
}

/** The table shows scope names only; `--json` prints the resources whole. */
const row = (resource: ApiResource) => ({
  ...resource,
  scopes: resource.scopes.map((scope) => scope.name).join(' '),
});

/** A tenant's API resources (docs/apis.md): the audiences, permissions and algorithms of tokens. */
export function resourcesCommand(program: Command, io: Io): void {
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const resources = program
    .command('resources')
    .description("Manage a tenant's API resources (token audiences); <resource>: id or identifier")
    .requiredOption('--tenant <tenant>', 'tenant slug or id');
  const tenant = () => resources.opts<{ tenant: string }>().tenant;
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());

  resources
    .command('list')
    .description('List the API resources (all pages)')
    .action(async () => {
      const rows: ApiResource[] = [];
      for await (const resource of client().resources.iterate(tenant(), { limit: 100 })) {
        rows.push(resource);
      }
      const columns = ['id', 'identifier', 'name', 'access_token_alg', 'subjects', 'scopes'];
      if (json()) printRows(io, rows, columns, true);
      else printRows(io, rows.map(row), columns, false);
    });

  resources
    .command('get <resource>')
    .description('Show an API resource')
    .action(async (ref: string) => {
      const cp = client();
      printObject(
        io,
        await cp.resources.get(tenant(), await resourceIdOf(cp, tenant(), ref)),
        json(),
      );
    });

  resourceOptions(
    resources
      .command('create')
      .description('Define an API resource')
      .requiredOption(
        '--identifier <uri>',
        'absolute URI: the `resource` of token requests and `aud`',
      )
      .requiredOption('--name <name>', 'display name'),
    'create',
  ).action(async (options: ResourceFlags & { identifier: string; name: string }) => {
    const created = await client().resources.create(tenant(), {
      ...fieldsOf(options),
      identifier: options.identifier,
      name: options.name,
    });
    printObject(io, created, json());
  });

  resourceOptions(
    resources
      .command('update <resource>')
      .description('Change an API resource (only the flags given)')
      .option('--identifier <uri>', 'new identifier: the `aud` of tokens issued from now on')
      .option('--name <name>', 'new display name')
      .option(
        '--add-scope <name[=description]>',
        'add or redescribe a permission, repeatable',
        scopes,
      )
      .option(
        '--remove-scope <name>',
        'remove a permission (and it from client grants), repeatable',
        names,
      ),
    'update',
  ).action(
    async (
      ref: string,
      options: ResourceFlags & { addScope?: ApiResourceScope[]; removeScope?: string[] },
    ) => {
      const cp = client();
      const id = await resourceIdOf(cp, tenant(), ref);
      const body: UpdateApiResourceInput = fieldsOf(options);
      if (options.addScope !== undefined || options.removeScope !== undefined) {
        if (options.scope !== undefined) {
          throw new Error('--scope replaces the scopes: use it without --add-scope/--remove-scope');
        }
        const current = await cp.resources.get(tenant(), id);
        body.scopes = editedScopes(
          current.scopes,
          options.addScope ?? [],
          options.removeScope ?? [],
        );
      }
      printObject(io, await cp.resources.update(tenant(), id, body), json());
    },
  );

  resources
    .command('delete <resource>')
    .description('Delete an API resource and every client grant on it')
    .action(async (ref: string) => {
      const cp = client();
      const id = await resourceIdOf(cp, tenant(), ref);
      await cp.resources.delete(tenant(), id);
      io.out(`deleted API resource ${id}\n`);
    });
}
