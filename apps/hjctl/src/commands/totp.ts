import type { Command } from 'commander';
import { authenticatedClient, type GlobalOptions } from '../context';
import type { Io } from '../io';
import { printObject } from '../output';

/** The signed-in admin's authenticator (TOTP): enrol, confirm, remove. */
export function totpCommand(program: Command, io: Io): void {
  const client = () => authenticatedClient(io, program.opts<GlobalOptions>());
  const json = () => program.opts<GlobalOptions>().json ?? false;
  const totp = program
    .command('totp')
    .description(
      "Manage the signed-in admin's authenticator (TOTP); `login --otp` then asks for it",
    );

  totp
    .command('enrol')
    .description('Start enrolling: prints the secret and otpauth:// URI (shown once)')
    .action(async () => {
      printObject(io, await client().auth.totp.enrol(), json());
    });

  totp
    .command('confirm <code>')
    .description('Confirm with a code from the app; prints 10 recovery codes (shown once)')
    .action(async (code: string) => {
      const { recovery_codes: codes } = await client().auth.totp.confirm(code);
      if (json()) printObject(io, { recovery_codes: codes }, true);
      else
        io.out(`Authenticator confirmed. Recovery codes (each works once):\n${codes.join('\n')}\n`);
    });

  totp
    .command('remove <code>')
    .description('Remove the authenticator (with a current or recovery code)')
    .action(async (code: string) => {
      await client().auth.totp.remove(code);
      io.out('Authenticator removed.\n');
    });
}
