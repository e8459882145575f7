import { createInterface } from 'node:readline/promises';
import { createControlPlaneClient, isAdminMfaRequired } from '@hellojohn/sdk';
import type { Command } from 'commander';
import { controlPlaneUrl, credentialsPath, saveCredentials, type GlobalOptions } from '../context';
import type { Io } from '../io';

/** Reads the password from standard input so it never lands in shell history. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * The second factor of an admin with an authenticator: `--otp`, else asked for on the terminal.
 * Without a terminal (a script, or the password piped in) there is nobody to ask.
 */
async function oneTimeCode(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (!process.stdin.isTTY || process.stdin.readableEnded) {
    throw new Error('This admin has an authenticator: pass --otp <code> (or a recovery code).');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question('Authenticator code: ')).trim();
  } finally {
    prompt.close();
  }
}

export function loginCommand(program: Command, io: Io): void {
  program
    .command('login')
    .description('Sign in as a CP admin and save the token (password from --password or stdin)')
    .requiredOption('--email <email>', 'admin email')
    .option('--password <password>', 'admin password (default: read from stdin)')
    .option('--otp <code>', 'authenticator (TOTP) or recovery code, if the admin has one')
    .action(async (options: { email: string; password?: string; otp?: string }) => {
      const globals = program.opts<GlobalOptions>();
      const url = controlPlaneUrl(io, globals);
      const password = options.password ?? (await readStdin());
      const client = createControlPlaneClient({ baseUrl: url });
      const result = await client.auth.signIn({ email: options.email, password });
      const { access_token, expires_in } = isAdminMfaRequired(result)
        ? await client.auth.verifyMfa({
            mfa_token: result.mfa_token,
            code: await oneTimeCode(options.otp),
          })
        : result;
      saveCredentials(io, { url, token: access_token });
      io.out(
        `Signed in to ${url}; token saved to ${credentialsPath(io)} (valid ${expires_in} s).\n`,
      );
    });
}
