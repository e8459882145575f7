import { createControlPlaneClient } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { controlPlaneUrl, credentialsPath, saveCredentials, type GlobalOptions } from '../context';
import type { Io } from '../io';

/** Reads the password from standard input so it never lands in shell history. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function loginCommand(program: Command, io: Io): void {
  program
    .command('login')
    .description('Sign in as a CP admin and save the token (password from --password or stdin)')
    .requiredOption('--email <email>', 'admin email')
    .option('--password <password>', 'admin password (default: read from stdin)')
    .action(async (options: { email: string; password?: string }) => {
      const globals = program.opts<GlobalOptions>();
      const url = controlPlaneUrl(io, globals);
      const password = options.password ?? (await readStdin());
      const client = createControlPlaneClient({ baseUrl: url });
      const { access_token, expires_in } = await client.auth.signIn({
        email: options.email,
        password,
      });
      saveCredentials(io, { url, token: access_token });
      io.out(
        `Signed in to ${url}; token saved to ${credentialsPath(io)} (valid ${expires_in} s).\n`,
      );
    });
}
