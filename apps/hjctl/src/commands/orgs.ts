import type { Command } from 'commander';
import { createDataPlaneClient, paginate, type Page } from '@hellojohn/sdk';
import type { GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

/** `--limit` and `--cursor` of the list commands. */
interface ListOptions {
  limit: string;
  cursor?: string;
}

const listFlags = (command: Command): Command =>
  command
    .option('--limit <n>', 'page size, 1-100', '100')
    .option('--cursor <cursor>', "fetch only the page at this cursor (a list's next_cursor)");

function pageSizeOf(options: ListOptions): number {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new Error('--limit must be a whole number from 1 to 100');
  }
  return limit;
}

/**
 * The rows a list command prints: with `--cursor` that one page (its `next_cursor` on stderr, to
 * pass back), else every page, counting on stderr once there is more than one.
 */
async function rowsOf<T>(
  io: Io,
  noun: string,
  options: ListOptions,
  fetchPage: (query: { limit: number; cursor?: string }) => Promise<Page<T>>,
): Promise<T[]> {
  const limit = pageSizeOf(options);
  if (options.cursor !== undefined) {
    const page = await fetchPage({ limit, cursor: options.cursor });
    io.err(`next_cursor: ${page.next_cursor ?? '(last page)'}\n`);
    return page.data;
  }
  const rows: T[] = [];
  let pages = 0;
  for await (const row of paginate(async (cursor) => {
    const page = await fetchPage(cursor === undefined ? { limit } : { limit, cursor });
    pages += 1;
    if (pages > 1 || page.next_cursor !== null) {
      io.err(`\rfetched ${rows.length + page.data.length} ${noun} (${pages} pages)…`);
    }
    return page;
  })) {
    rows.push(row);
  }
  if (pages > 1) io.err('\n');
  return rows;
}

interface OrgsOptions {
  tenant: string;
  dpUrl?: string;
  accessToken?: string;
}

/**
 * Organizations as one user sees them (docs/organizations.md): these routes act as a user, so
 * they take that user's access token (`--access-token` or HJCTL_ACCESS_TOKEN), not the CP token.
 */
export function orgsCommand(program: Command, io: Io): void {
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const orgs = program
    .command('orgs')
    .description("A user's organizations, members and invitations (on the data plane)")
    .requiredOption('--tenant <tenant>', 'tenant slug or id')
    .option('--dp-url <url>', 'data-plane URL (env HJCTL_DP_URL, default http://localhost:8080)')
    .option('--access-token <token>', "the user's access token (env HJCTL_ACCESS_TOKEN)");
  const client = () => {
    const options = orgs.opts<OrgsOptions>();
    const token = options.accessToken ?? io.env.HJCTL_ACCESS_TOKEN;
    if (!token)
      throw new Error('orgs needs a user access token: --access-token or HJCTL_ACCESS_TOKEN');
    const baseUrl = options.dpUrl ?? io.env.HJCTL_DP_URL ?? 'http://localhost:8080';
    const dp = createDataPlaneClient({ baseUrl, tenant: options.tenant });
    return { orgs: dp.organizations, token };
  };

  listFlags(orgs.command('list'))
    .description('The organizations the user is a member of (all pages unless --cursor)')
    .action(async (options: ListOptions) => {
      const { orgs: api, token } = client();
      const rows = await rowsOf(io, 'organizations', options, (query) => api.list(token, query));
      printRows(io, rows, ['id', 'slug', 'name', 'role'], json());
    });

  orgs
    .command('create <slug>')
    .description('Create an organization (the user becomes its owner)')
    .requiredOption('--name <name>', 'display name')
    .action(async (slug: string, options: { name: string }) => {
      const { orgs: api, token } = client();
      printObject(io, await api.create(token, { slug, name: options.name }), json());
    });

  orgs
    .command('delete <org>')
    .description('Delete an organization (owners)')
    .action(async (org: string) => {
      const { orgs: api, token } = client();
      await api.remove(token, org);
      io.out(`deleted organization ${org}\n`);
    });

  listFlags(orgs.command('members <org>'))
    .description("An organization's members (all pages unless --cursor)")
    .action(async (org: string, options: ListOptions) => {
      const { orgs: api, token } = client();
      const rows = await rowsOf(io, 'members', options, (query) =>
        api.members.list(token, org, query),
      );
      printRows(io, rows, ['user_id', 'email', 'role', 'joined_at'], json());
    });

  orgs
    .command('set-role <org> <user_id> <role>')
    .description("Change a member's role (transfer ownership: make another owner, then step down)")
    .action(async (org: string, userId: string, role: string) => {
      const { orgs: api, token } = client();
      printObject(io, await api.members.setRole(token, org, userId, role), json());
    });

  orgs
    .command('remove-member <org> <user_id>')
    .description('Remove a member (your own id: leave)')
    .action(async (org: string, userId: string) => {
      const { orgs: api, token } = client();
      await api.members.remove(token, org, userId);
      io.out(`removed ${userId} from ${org}\n`);
    });

  orgs
    .command('invite <org> <email>')
    .description('Invite someone by email')
    .option('--role <role>', 'their role', 'member')
    .action(async (org: string, email: string, options: { role: string }) => {
      const { orgs: api, token } = client();
      printObject(
        io,
        await api.invitations.create(token, org, { email, role: options.role }),
        json(),
      );
    });

  listFlags(orgs.command('invitations <org>'))
    .description('Pending invitations (all pages unless --cursor)')
    .action(async (org: string, options: ListOptions) => {
      const { orgs: api, token } = client();
      const rows = await rowsOf(io, 'invitations', options, (query) =>
        api.invitations.list(token, org, query),
      );
      printRows(io, rows, ['id', 'email', 'role', 'expires_at'], json());
    });
}
