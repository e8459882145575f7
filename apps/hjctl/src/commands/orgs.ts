import type { Command } from 'commander';
import { createDataPlaneClient } from '@hellojohn/sdk';
import type { GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject, printRows } from '../output';

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

  orgs
    .command('list')
    .description('The organizations the user is a member of')
    .action(async () => {
      const { orgs: api, token } = client();
      printRows(io, (await api.list(token)).data, ['id', 'slug', 'name', 'role'], json());
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

  orgs
    .command('members <org>')
    .description("An organization's members")
    .action(async (org: string) => {
      const { orgs: api, token } = client();
      const list = await api.members.list(token, org);
      printRows(io, list.data, ['user_id', 'email', 'role', 'joined_at'], json());
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

  orgs
    .command('invitations <org>')
    .description('Pending invitations')
    .action(async (org: string) => {
      const { orgs: api, token } = client();
      const list = await api.invitations.list(token, org);
      printRows(io, list.data, ['id', 'email', 'role', 'expires_at'], json());
    });
}
