import type { Logger } from '@hellojohn/http';
import { AppError } from '@hellojohn/http';
import nodemailer, { type Transporter } from 'nodemailer';

/** A mail to one CP admin, rendered. */
export interface AdminMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** How a mail left: over SMTP, or (no SMTP server, outside production) written to the log. */
export type AdminMailOutcome = 'sent' | 'logged';

export interface AdminMailer {
  /**
   * Sends `mail` over `HJ_SMTP_URL`. Without it: outside production the mail (with its links) is
   * logged, as the data plane's development mailbox does; in production it is refused with 503
   * `service_unavailable`. An SMTP failure rejects with nodemailer's error.
   */
  send(mail: AdminMail): Promise<AdminMailOutcome>;
  close(): void;
}

/**
 * The control plane's mail: CP admin invitations only, sent at once (no outbox; a failed send is
 * reported to the operator, who resends). `HJ_SMTP_URL` and `HJ_MAIL_FROM` are the data plane's
 * variables: one mail server and one sender for the platform. One transport, made on first use,
 * not pooled, with the data plane's short timeouts.
 */
export function createAdminMailer(deps: {
  smtpUrl: string | undefined;
  mailFrom: string;
  production: boolean;
  logger: Logger;
}): AdminMailer {
  const log = deps.logger.child({ component: 'mail' });
  let transport: Transporter | undefined;

  function transportFor(url: string): Transporter {
    transport ??= nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return transport;
  }

  return {
    async send(mail) {
      if (deps.smtpUrl) {
        await transportFor(deps.smtpUrl).sendMail({
          from: deps.mailFrom,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
        return 'sent';
      }
      if (deps.production) {
        throw new AppError(
          'service_unavailable',
          'No SMTP server is configured (HJ_SMTP_URL); the mail could not be sent.',
        );
      }
      log.info(
        { to: mail.to, links: mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? [] },
        `dev mail: "${mail.subject}" (not sent: HJ_SMTP_URL is unset)`,
      );
      return 'logged';
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}
