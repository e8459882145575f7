import { HelloJohnApiError } from '@hellojohn/sdk';
import { Command } from 'commander';
import { adminsCommand } from './commands/admins';
import { apiKeysCommand } from './commands/api-keys';
import { clientsCommand } from './commands/clients';
import { loginCommand } from './commands/login';
import { orgsCommand } from './commands/orgs';
import { resourcesCommand } from './commands/resources';
import { rolesCommand } from './commands/roles';
import { tenantsCommand } from './commands/tenants';
import { totpCommand } from './commands/totp';
import { usersCommand } from './commands/users';
import { webhooksCommand } from './commands/webhooks';
import type { Io } from './io';

/** Builds the CLI; `io` is injectable so tests run it in-process. */
export function createProgram(io: Io): Command {
  const program = new Command('hjctl')
    .description('Operate a HelloJohn control plane')
    .option('--url <url>', 'control-plane URL (env HJCTL_URL, default http://localhost:8081)')
    .option('--token <token>', 'CP admin token (env HJCTL_TOKEN, or `hjctl login`)')
    .option('--api-key <key>', 'API key, hjk_... (env HJCTL_API_KEY)')
    .option('--json', 'print JSON')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  loginCommand(program, io);
  tenantsCommand(program, io);
  clientsCommand(program, io);
  adminsCommand(program, io);
  apiKeysCommand(program, io);
  usersCommand(program, io);
  rolesCommand(program, io);
  orgsCommand(program, io);
  resourcesCommand(program, io);
  webhooksCommand(program, io);
  totpCommand(program, io);
  return program;
}

/** Runs one command line; returns the exit code and prints API problems readably. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof HelloJohnApiError) {
      io.err(`error: ${error.code} (${error.status})${error.detail ? `: ${error.detail}` : ''}\n`);
      for (const field of error.errors) io.err(`  ${field.path}: ${field.message}\n`);
      return 1;
    }
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      return error.exitCode;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
