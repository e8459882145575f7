import { Counter, Registry } from 'prom-client';

/** How a mail went out: HJ_SMTP_URL, the tenant's own server, or the development mailbox. */
export type MailTransportName = 'smtp' | 'tenant_smtp' | 'dev_mailbox' | 'none';

export interface MailMetrics {
  sent(kind: string, transport: MailTransportName): void;
  failed(kind: string, transport: MailTransportName): void;
  dead(kind: string, transport: MailTransportName): void;
}

/**
 * `mail_sent_total`, `mail_failed_total` (a failed attempt that will be retried) and
 * `mail_dead_total` (given up), by kind and transport; never by tenant or address (cardinality,
 * privacy). Registered on the data plane's `/metrics` registry when given one.
 */
export function createMailMetrics(registry: Registry = new Registry()): MailMetrics {
  const make = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['kind', 'transport'], registers: [registry] });
  const sent = make('mail_sent_total', 'Mails delivered, by kind and transport');
  const failed = make('mail_failed_total', 'Failed delivery attempts that will be retried');
  const dead = make('mail_dead_total', 'Mails given up on (permanent failure or 24 h of retries)');
  return {
    sent(kind, transport) {
      sent.inc({ kind, transport });
    },
    failed(kind, transport) {
      failed.inc({ kind, transport });
    },
    dead(kind, transport) {
      dead.inc({ kind, transport });
    },
  };
}
