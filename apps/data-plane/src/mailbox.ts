/**
 * `npm run mailbox [-- --limit N] [-- --full]`: the development mailbox, newest last (the mails
 * the data plane kept instead of sending, without HJ_SMTP_URL; see docs/mail.md). Reads
 * `{HJ_DATA_DIR}/mailbox`, so it works while the data plane runs or after it stopped.
 */
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@hellojohn/config';
import { createDevMailbox } from './mail';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function limitOf(args: readonly string[]): number {
  const index = args.indexOf('--limit');
  if (index < 0) return 10;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--limit takes a positive integer');
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const mailbox = createDevMailbox(join(config.dataDir, 'mailbox'));
  const mails = (await mailbox.list(limitOf(args))).reverse();
  if (mails.length === 0) {
    out(`No mail in ${mailbox.dir}.`);
    return;
  }
  for (const mail of mails) {
    out(`--- ${mail.receivedAt}  [${mail.tenantSlug}]  ${mail.kind}  id=${mail.id}`);
    out(`From: ${mail.from}`);
    out(`To: ${mail.to}`);
    out(`Subject: ${mail.subject}`);
    out('');
    out(args.includes('--full') ? mail.text : mail.text.trim().split('\n').slice(0, 12).join('\n'));
    out('');
  }
  if (config.smtpUrl) out('(HJ_SMTP_URL is set: new mails are sent, not kept here.)');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
