import { SMTPServer } from 'smtp-server';

/** One mail as the SMTP server received it. */
export interface CaughtMail {
  to: string[];
  /** The raw message, quoted-printable soft breaks joined and escapes decoded. */
  raw: string;
}

/** An in-process SMTP server for tests: point `HJ_SMTP_URL` at `url` and await mails. */
export interface MailCatcher {
  url: string;
  /** The next mail (not yet taken) to `address`; rejects after `timeoutMs`. */
  next(address: string, timeoutMs?: number): Promise<CaughtMail>;
  /** Mails to `address` received and not yet taken. */
  pending(address: string): CaughtMail[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const inbox: CaughtMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const take = (to: string): CaughtMail | undefined => {
    const index = inbox.findIndex((m) => m.to.includes(to.toLowerCase()));
    return index < 0 ? undefined : inbox.splice(index, 1)[0];
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    async next(to, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = take(to);
        if (mail) return mail;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    pending: (to) => inbox.filter((m) => m.to.includes(to.toLowerCase())),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The one-time token of the mailed link to `page` (`/login/reset`, `/login/magic`, ...). */
export function linkTokenIn(mail: CaughtMail, page: string): string {
  const match = new RegExp(`${page.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_-]+)`).exec(mail.raw);
  if (!match?.[1]) throw new Error(`no ${page} link in the mail:\n${mail.raw}`);
  return match[1];
}

/** The 6-digit code of an email OTP mail (its subject starts with it). */
export function codeIn(mail: CaughtMail): string {
  const match = /^Subject: (\d{6}) /m.exec(mail.raw);
  if (!match?.[1]) throw new Error(`no code in the mail:\n${mail.raw}`);
  return match[1];
}

/** The data plane's settings that send its mail to `mail`. */
export const mailEnv = (mail: MailCatcher): Record<string, string> => ({
  HJ_SMTP_URL: mail.url,
  HJ_MAIL_FROM: 'id@example.com',
});
