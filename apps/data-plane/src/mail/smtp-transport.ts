import nodemailer, { type Transporter } from 'nodemailer';

/** What a transport sends: the rendered mail with its envelope. */
export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our outbox id, as `Message-ID` local part: a retried mail keeps one identity. */
  messageId: string;
}

export interface SmtpTransports {
  /** Sends over the SMTP server at `url`; rejects with nodemailer's error (code, responseCode). */
  send(url: string, mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Tenants with their own server share this many cached transports (least recently used go). */
const MAX_TRANSPORTS = 200;

/**
 * One nodemailer transport per SMTP URL (HJ_SMTP_URL and each tenant override), made on first use.
 * Not pooled: a connection per mail keeps nothing open between drains and at shutdown, and a
 * server that went away is simply dialled again on the next attempt. Timeouts are short
 * (nodemailer's default is two minutes) so a dead server costs a drain seconds, not the claim's
 * lease.
 */
export function createSmtpTransports(): SmtpTransports {
  const transports = new Map<string, Transporter>();

  function transportFor(url: string): Transporter {
    let transport = transports.get(url);
    if (transport) {
      transports.delete(url);
    } else {
      transport = nodemailer.createTransport({
        url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      if (transports.size >= MAX_TRANSPORTS) {
        const [oldestUrl, oldest] = transports.entries().next().value ?? [];
        if (oldestUrl !== undefined) transports.delete(oldestUrl);
        oldest?.close();
      }
    }
    transports.set(url, transport);
    return transport;
  }

  return {
    async send(url, mail) {
      const domain = mail.from.address.split('@')[1] ?? 'localhost';
      await transportFor(url).sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.messageId}@${domain}>`,
      });
    },
    close() {
      for (const transport of transports.values()) transport.close();
      transports.clear();
    },
  };
}
