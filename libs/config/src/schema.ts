import { isIP } from 'node:net';
import { z } from 'zod';
import { webauthnOrigin } from './webauthn-rp';

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be 1-65535')
  .max(65535, 'must be 1-65535');

const databaseUrl = z
  .string()
  .regex(
    /^(postgres|postgresql|mysql|sqlite):/,
    'must start with postgres://, mysql:// or sqlite:',
  );

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));

const optionalUrl = (protocols: RegExp, message: string) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: protocols, error: message }).optional(),
  );

/**
 * A mail sender, `address` or `Name <address>` (RFC 5322 name-addr, no line breaks): what
 * `HJ_MAIL_FROM` and a tenant's `mail.from` setting take.
 */
export const mailFrom = z
  .string()
  .max(320)
  .refine((value) => {
    if (/[\r\n\0]/.test(value)) return false;
    const named = /^([^<>"]*)<([^<>]+)>$/.exec(value.trim());
    const address = named ? (named[2] ?? '') : value.trim();
    // Lenient on the domain (`no-reply@localhost` is a fine development sender).
    return /^[^\s@<>"]+@[^\s@<>"]+$/.test(address);
  }, 'must be an email address, or `Name <address>`');

/** An `smtp://` or `smtps://` URL with a host (credentials, if any, in the URL). */
export const smtpUrl = z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' });

/** `HJ_WEBAUTHN_ORIGINS`: comma-separated origins, each `https://host[:port]` (http on localhost). */
const webauthnOrigins = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .optional()
    .transform((value, ctx): readonly string[] | undefined => {
      if (value === undefined) return undefined;
      const origins: string[] = [];
      for (const entry of value.split(',').map((part) => part.trim())) {
        const origin = webauthnOrigin(entry);
        if (origin === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `"${entry.slice(0, 100)}" is not an origin: give https://host[:port] (http only on localhost), no path`,
          });
          return z.NEVER;
        }
        if (!origins.includes(origin)) origins.push(origin);
      }
      return Object.freeze(origins);
    }),
);

/** Express's names for address ranges (proxy-addr): 127.0.0.1/8 and ::1, 169.254/16, 10/8 ... */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or a range name. */
function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const trustProxy = z
  .string()
  .default('loopback')
  .transform((value, ctx): false | number | readonly string[] => {
    const text = value.trim();
    if (text === 'false') return false;
    if (/^\d{1,2}$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isProxyAddress(entry));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${bad.slice(0, 50)}" is not an IP address, a CIDR, loopback, linklocal or uniquelocal; give \`false\`, a hop count, or a comma-separated list of those`,
      });
      return z.NEVER;
    }
    return Object.freeze(entries);
  });

/** Five seconds to eight hours, about 32 h in all: a receiver down for a day still gets its events. */
const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5,30,120,600,1800,3600,7200,14400,28800,28800,28800';

/** `HJ_WEBHOOK_RETRY_SCHEDULE`: comma-separated seconds (decimals allowed) between attempts. */
const retrySchedule = z
  .string()
  .default(DEFAULT_WEBHOOK_RETRY_SCHEDULE)
  .transform((value, ctx): readonly number[] => {
    const parts = value.split(',').map((part) => part.trim());
    const delays = parts.map(Number);
    const bad = parts.find(
      (part, index) => !/^\d+(\.\d+)?$/.test(part) || (delays[index] ?? 0) > 7 * 24 * 3600,
    );
    if (bad !== undefined || parts.length > 50) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be 1-50 comma-separated delays in seconds (each 0-604800, decimals allowed), e.g. 5,30,120',
      });
      return z.NEVER;
    }
    return Object.freeze(delays);
  });

/**
 * Every `HJ_*` variable the services read. The `.describe()` text is the documentation:
 * `docs/configuration.md` is generated from it (`npm run docs`).
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`production` turns on the secrets guard.'),
  HJ_CP_PORT: port.default(8081).describe('Control-plane listen port.'),
  HJ_DP_PORT: port.default(8080).describe('Data-plane listen port.'),
  HJ_HOST: z.string().min(1).default('0.0.0.0').describe('Interface both services bind to.'),
  HJ_PUBLIC_URL: httpUrl
    .default('http://localhost:8080')
    .describe('Data-plane base URL, used in issuers (`{HJ_PUBLIC_URL}/t/{slug}`) and links.'),
  HJ_CP_URL: httpUrl
    .default('http://localhost:8081')
    .describe('Control-plane base URL the data plane reads tenant configuration from.'),
  HJ_CP_DATABASE_URL: databaseUrl
    .default('sqlite:./data/control-plane.db')
    .describe('Global database: `postgres://`, `mysql://` or `sqlite:PATH`.'),
  HJ_TENANT_DATABASE_URL: databaseUrl
    .default('sqlite:./data/tenants')
    .describe(
      'Server for managed tenant databases (a URL whose database is used for `CREATE DATABASE`), or `sqlite:DIR`.',
    ),
  HJ_RABBITMQ_URL: optionalUrl(/^amqps?$/, 'must be an amqp:// or amqps:// URL').describe(
    'RabbitMQ URL. Unset: events run over an in-process bus (both planes in one process).',
  ),
  HJ_REDIS_URL: optionalUrl(/^rediss?$/, 'must be a redis:// or rediss:// URL').describe(
    'Redis URL for rate limits and sign-in lockout, shared by every replica of both planes. Unset: in-memory (per process).',
  ),
  HJ_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, "_", "." or "-"')
    .default('hj')
    .describe(
      'First segment of every Redis key (`{prefix}:rl:...`), so deployments or test runs sharing one Redis stay apart.',
    ),
  HJ_MASTER_KEY: z
    .string()
    .optional()
    .describe(
      '32 bytes, base64. Encrypts secrets at rest. Unset outside production: generated once into `{HJ_DATA_DIR}/master.key`.',
    ),
  HJ_INTERNAL_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'Shared secret for data-plane -> control-plane reads. Unset outside production: generated once into `{HJ_DATA_DIR}/internal.token`.',
    ),
  HJ_METRICS_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters')
    .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must be a bearer token: letters, digits and -._~+/ only')
    .optional()
    .describe(
      'When set, `/metrics` of both planes answers only `Authorization: Bearer <token>` (32+ characters). Unset: open to whoever reaches the port; set it in production or keep the port private.',
    ),
  HJ_TRUST_PROXY: trustProxy.describe(
    "Proxies whose `X-Forwarded-For`/`-Proto` are believed (Express `trust proxy`) for the client address (rate limits, audit) and HTTPS (HSTS): `false`, a hop count, or a comma-separated list of IPs, CIDRs and `loopback`/`linklocal`/`uniquelocal`. Set it to your load balancer's addresses (docs/security.md).",
  ),
  HJ_ADMIN_EMAIL: z
    .email('must be an email address')
    .optional()
    .describe('First CP admin, created at start if no admin exists.'),
  HJ_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .describe('Password of the first CP admin. Generated and printed once if unset.'),
  HJ_SMTP_URL: optionalUrl(/^smtps?$/, 'must be an smtp:// or smtps:// URL').describe(
    'SMTP server for mail (`smtp://user:pass@host:587`, STARTTLS when offered; `smtps://` for TLS from the start). Unset: outside production mails go to the dev mailbox (one log line each, kept in `{HJ_DATA_DIR}/mailbox`, browsable at `GET /dev/mailbox` and with `npm run mailbox`); in production they wait in the outbox until an SMTP server is configured. Tenants may override it (settings `mail.smtp_url`). The control plane sends CP admin invitations through it too (unset: outside production their link is logged; in production the invitation answers `mail: "failed"`).',
  ),
  HJ_MAIL_FROM: mailFrom
    .default('no-reply@localhost')
    .describe(
      "Sender of every mail: `address` or `Name <address>`. A bare address is sent under the tenant's display name. Tenants may override it (settings `mail.from`). CP admin invitations go out from it as given.",
    ),
  HJ_MAIL_SENT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(7)
    .describe(
      'Days a delivered mail stays in the tenant outbox before the mail sweep deletes it (dead mail: 30 days; spent and expired one-time tokens: once expired).',
    ),
  HJ_OUTBOX_SWEEP_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe(
      "Seconds between the data plane's sweeps over tenants marked as having unsent domain events (the safety net under the wake-up each commit sends; docs/webhooks.md).",
    ),
  HJ_OUTBOX_FULL_SWEEP_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86400)
    .default(3600)
    .describe(
      "Seconds between the data plane's passes over every active tenant's outbox (the last safety net, e.g. after Redis lost its waiting set). Also once at start without HJ_REDIS_URL.",
    ),
  HJ_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Folder for embedded-default files (generated keys and tokens).'),
  HJ_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level.'),
  HJ_ACCESS_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(86400)
    .default(900)
    .describe('Default access-token lifetime in seconds (tenants may override).'),
  HJ_TENANT_POOL_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(100)
    .describe('Most tenant connection pools one data-plane process keeps open.'),
  HJ_TENANT_POOL_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(300000)
    .describe('A tenant pool unused this long is closed.'),
  HJ_TENANT_DB_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(40)
    .describe(
      "Most connections one data-plane process holds to each tenant database server, across all tenant pools (pg/mysql): size it as the server's max_connections minus headroom, divided by the replicas. Past it a request waits up to 5 s, then answers 503 tenant_unavailable with Retry-After.",
    ),
  HJ_PROVISIONING_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('Deliveries of a provisioning event before it is dead-lettered.'),
  HJ_PROVISIONING_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe(
      'Provisioning events (tenant creations, deletions, key rotations) one data-plane process handles at once; each holds a few connections to the tenant database server while it runs.',
    ),
  HJ_TENANT_TEMPLATE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe(
      'Create managed tenant databases as copies of a template migrated once per migration set (`hj_tenant_template_<hash>` on the tenant server: pg `CREATE DATABASE … TEMPLATE`, MySQL its DDL replayed, SQLite a file copy); the migrations still run after the copy, so a stale template cannot leave a tenant behind. `false` migrates every new database from empty.',
    ),
  HJ_AUTO_MIGRATE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe(
      'Run pending migrations at start-up. Set `false` where a migration Job runs them (Kubernetes).',
    ),
  HJ_WEBAUTHN_RP_ID: z
    .preprocess((value) => (value === '' ? undefined : value), z.string().max(253).optional())
    .describe(
      'Passkeys (WebAuthn): the relying-party ID, a host name that is the host of every passkey origin or a parent domain of it (`example.com` for `https://login.example.com`). Unset: the host of `HJ_PUBLIC_URL`. Passkeys are bound to it: changing it later orphans every registered passkey. Tenants may override it (settings `webauthn.rp_id`).',
    ),
  HJ_WEBAUTHN_ORIGINS: webauthnOrigins.describe(
    'Passkeys (WebAuthn): comma-separated origins whose pages may create and use passkeys (`https://login.example.com,https://app.example.com`). Unset: the origin of `HJ_PUBLIC_URL`. Tenants may override it (settings `webauthn.origins`).',
  ),
  HJ_WEBHOOK_RETRY_SCHEDULE: retrySchedule.describe(
    'Webhooks: seconds to wait before each retry of a failed delivery, comma-separated (decimals allowed); each wait gets up to 20% random jitter, and after the last the delivery is `failed` and the webhook marked failing. Default: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, 8 h (about 32 h).',
  ),
  HJ_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'Webhooks: `true` lets webhooks target loopback, private, link-local and metadata addresses (and plain http to loopback). Default `true` outside production, `false` in production.',
    ),
  HJ_BCRYPT_COST: z.coerce
    .number()
    .int()
    .min(4)
    .max(15)
    .default(11)
    .describe('bcrypt cost for new password hashes (tests use 4).'),
});

export type Env = z.infer<typeof envSchema>;
