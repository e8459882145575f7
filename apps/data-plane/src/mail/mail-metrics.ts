import { Counter, Gauge, Registry } from 'prom-client';

/** How a mail went out: HJ_SMTP_URL, the tenant's own server, or the development mailbox. */
export type MailTransportName = 'smtp' | 'tenant_smtp' | 'dev_mailbox' | 'none';

export interface MailMetrics {
  sent(kind: string, transport: MailTransportName): void;
  failed(kind: string, transport: MailTransportName): void;
  dead(kind: string, transport: MailTransportName): void;
  /** Whether mail has no server to go to (production without `HJ_SMTP_URL`): 1 or 0. */
  transportMissing(missing: boolean): void;
  /** Mails held pending for want of a server, as the last sweep counted them. */
  held(count: number): void;
}

/**
 * `mail_sent_total`, `mail_failed_total` (a failed attempt that will be retried) and
 * `mail_dead_total` (given up), by kind and transport; never by tenant or address (cardinality,
 * privacy). The gauges `mail_transport_missing` and `mail_held` say that, and how much, mail
 * waits for an SMTP server. Registered on the data plane's `/metrics` registry when given one.
 */
export function createMailMetrics(registry: Registry = new Registry()): MailMetrics {
  const make = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['kind', 'transport'], registers: [registry] });
  const sent = make('mail_sent_total', 'Mails delivered, by kind and transport');
  const failed = make('mail_failed_total', 'Failed delivery attempts that will be retried');
  const dead = make('mail_dead_total', 'Mails given up on (permanent failure or 24 h of retries)');
  const missing = new Gauge({
    name: 'mail_transport_missing',
    help: '1 when production runs without HJ_SMTP_URL: mail waits in the outbox',
    registers: [registry],
  });
  const held = new Gauge({
    name: 'mail_held',
    help: 'Mails held pending because no SMTP server is configured (last sweep)',
    registers: [registry],
  });
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
    transportMissing(flag) {
      missing.set(flag ? 1 : 0);
    },
    held(count) {
      held.set(count);
    },
  };
}
