import { join } from 'node:path';
import type { z } from 'zod';
import { envSchema } from './schema';
import { readOrCreateSecretFile } from './secret-file';
import { relyingPartyIssues } from './webauthn-rp';

/** The validated, frozen configuration both services run on. */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly cpPort: number;
  readonly dpPort: number;
  readonly publicUrl: string;
  readonly cpUrl: string;
  readonly cpDatabaseUrl: string;
  readonly tenantDatabaseUrl: string;
  readonly rabbitmqUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** `HJ_REDIS_KEY_PREFIX`: the first segment of every Redis key. */
  readonly redisKeyPrefix: string;
  /** 32 bytes. */
  readonly masterKey: Buffer;
  readonly internalToken: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly smtpUrl: string | undefined;
  /** `HJ_MAIL_FROM`: `address` or `Name <address>`. */
  readonly mailFrom: string;
  /** `HJ_MAIL_SENT_RETENTION_DAYS`: how long delivered mail is kept. */
  readonly mailSentRetentionDays: number;
  /** `HJ_OUTBOX_SWEEP_SECONDS`: sweep over tenants with domain events waiting. */
  readonly outboxSweepSeconds: number;
  /** `HJ_OUTBOX_FULL_SWEEP_SECONDS`: pass over every active tenant's outbox. */
  readonly outboxFullSweepSeconds: number;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly accessTokenTtlSeconds: number;
  readonly tenantPoolMax: number;
  readonly tenantPoolIdleMs: number;
  readonly tenantDbMaxConnections: number;
  readonly provisioningMaxAttempts: number;
  /** `HJ_PROVISIONING_CONCURRENCY`: provisioning events handled at once per process. */
  readonly provisioningConcurrency: number;
  /** `HJ_TENANT_TEMPLATE`: new managed databases are copies of a migrated template. */
  readonly tenantTemplate: boolean;
  readonly bcryptCost: number;
  readonly autoMigrate: boolean;
  /** `HJ_TRUST_PROXY`, as Express's `trust proxy` takes it (`createServiceApp({ trustProxy })`). */
  readonly trustProxy: false | number | readonly string[];
  /** `HJ_METRICS_TOKEN`: when set, `/metrics` asks for it as a bearer token. */
  readonly metricsToken: string | undefined;
  /** `HJ_WEBAUTHN_RP_ID`: the passkey relying-party ID; undefined = the host of `publicUrl`. */
  readonly webauthnRpId: string | undefined;
  /** `HJ_WEBAUTHN_ORIGINS`: passkey origins; undefined = the origin of `publicUrl`. */
  readonly webauthnOrigins: readonly string[] | undefined;
  /** `HJ_WEBHOOK_RETRY_SCHEDULE`: seconds before each retry of a failed webhook delivery. */
  readonly webhookRetrySchedule: readonly number[];
  /** `HJ_WEBHOOK_ALLOW_PRIVATE`: webhooks may target loopback and private addresses. */
  readonly webhookAllowPrivate: boolean;
  /** Human-readable notes for start-up logs, e.g. "generated master key into ./data/master.key". */
  readonly warnings: readonly string[];
}

/** One problem with one variable. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({
    variable: issue.path.map(String).join('.') || '(environment)',
    message: issue.message,
  }));
}

function decodeMasterKey(value: string): Buffer | undefined {
  const key = Buffer.from(value, 'base64');
  return key.length === 32 && key.toString('base64') === value.replace(/\s+/g, '')
    ? key
    : undefined;
}

/**
 * Parses `env` (default `process.env`) once, strictly: a malformed value is an error naming the
 * variable, never a silent default. Outside production, missing secrets are generated into
 * `HJ_DATA_DIR` and reported in `warnings`; in production they are required.
 *
 * @example
 * const config = loadConfig();
 * app.listen(config.cpPort);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.entries(env).filter(([key]) => key === 'NODE_ENV' || key.startsWith('HJ_')),
  );
  const unknown = Object.keys(known).filter((key) => !(key in envSchema.shape));
  const parsed = envSchema.safeParse(known);
  const issues: ConfigIssue[] = parsed.success ? [] : issuesOf(parsed.error);
  for (const variable of unknown) {
    issues.push({ variable, message: 'unknown HJ_* variable (typo?)' });
  }
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const warnings: string[] = [];

  if (production) {
    if (!e.HJ_MASTER_KEY)
      issues.push({ variable: 'HJ_MASTER_KEY', message: 'required in production' });
    if (!e.HJ_INTERNAL_TOKEN)
      issues.push({ variable: 'HJ_INTERNAL_TOKEN', message: 'required in production' });
  }
  let masterKey: Buffer | undefined;
  if (e.HJ_MASTER_KEY) {
    masterKey = decodeMasterKey(e.HJ_MASTER_KEY);
    if (!masterKey)
      issues.push({
        variable: 'HJ_MASTER_KEY',
        message: 'must be exactly 32 bytes, base64-encoded',
      });
  }
  if (e.HJ_WEBAUTHN_RP_ID !== undefined || e.HJ_WEBAUTHN_ORIGINS !== undefined) {
    const publicUrl = new URL(e.HJ_PUBLIC_URL);
    const rpId = e.HJ_WEBAUTHN_RP_ID ?? publicUrl.hostname;
    for (const message of relyingPartyIssues(rpId, e.HJ_WEBAUTHN_ORIGINS ?? [publicUrl.origin])) {
      issues.push({ variable: 'HJ_WEBAUTHN_RP_ID', message });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);

  if (!masterKey) {
    const path = join(e.HJ_DATA_DIR, 'master.key');
    const secret = readOrCreateSecretFile(path, 32);
    masterKey = decodeMasterKey(secret.value);
    if (!masterKey)
      throw new ConfigError([
        { variable: 'HJ_MASTER_KEY', message: `${path} is not a 32-byte base64 key` },
      ]);
    warnings.push(
      `HJ_MASTER_KEY is unset: ${secret.created ? 'generated' : 'using'} ${path}. Set HJ_MASTER_KEY in production.`,
    );
  }
  let internalToken = e.HJ_INTERNAL_TOKEN;
  if (!internalToken) {
    const path = join(e.HJ_DATA_DIR, 'internal.token');
    internalToken = readOrCreateSecretFile(path, 32).value;
    warnings.push(`HJ_INTERNAL_TOKEN is unset: using ${path}.`);
  }

  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    host: e.HJ_HOST,
    cpPort: e.HJ_CP_PORT,
    dpPort: e.HJ_DP_PORT,
    publicUrl: e.HJ_PUBLIC_URL,
    cpUrl: e.HJ_CP_URL,
    cpDatabaseUrl: e.HJ_CP_DATABASE_URL,
    tenantDatabaseUrl: e.HJ_TENANT_DATABASE_URL,
    rabbitmqUrl: e.HJ_RABBITMQ_URL,
    redisUrl: e.HJ_REDIS_URL,
    redisKeyPrefix: e.HJ_REDIS_KEY_PREFIX,
    masterKey,
    internalToken,
    adminEmail: e.HJ_ADMIN_EMAIL,
    adminPassword: e.HJ_ADMIN_PASSWORD,
    smtpUrl: e.HJ_SMTP_URL,
    mailFrom: e.HJ_MAIL_FROM,
    mailSentRetentionDays: e.HJ_MAIL_SENT_RETENTION_DAYS,
    outboxSweepSeconds: e.HJ_OUTBOX_SWEEP_SECONDS,
    outboxFullSweepSeconds: e.HJ_OUTBOX_FULL_SWEEP_SECONDS,
    dataDir: e.HJ_DATA_DIR,
    logLevel: e.HJ_LOG_LEVEL,
    accessTokenTtlSeconds: e.HJ_ACCESS_TOKEN_TTL,
    tenantPoolMax: e.HJ_TENANT_POOL_MAX,
    tenantPoolIdleMs: e.HJ_TENANT_POOL_IDLE_MS,
    tenantDbMaxConnections: e.HJ_TENANT_DB_MAX_CONNECTIONS,
    provisioningMaxAttempts: e.HJ_PROVISIONING_MAX_ATTEMPTS,
    provisioningConcurrency: e.HJ_PROVISIONING_CONCURRENCY,
    tenantTemplate: e.HJ_TENANT_TEMPLATE,
    bcryptCost: e.HJ_BCRYPT_COST,
    autoMigrate: e.HJ_AUTO_MIGRATE,
    trustProxy: e.HJ_TRUST_PROXY,
    metricsToken: e.HJ_METRICS_TOKEN,
    webauthnRpId: e.HJ_WEBAUTHN_RP_ID,
    webauthnOrigins: e.HJ_WEBAUTHN_ORIGINS,
    webhookRetrySchedule: e.HJ_WEBHOOK_RETRY_SCHEDULE,
    webhookAllowPrivate:
      e.HJ_WEBHOOK_ALLOW_PRIVATE === undefined
        ? !production
        : e.HJ_WEBHOOK_ALLOW_PRIVATE === 'true',
    warnings: Object.freeze(warnings),
  });
}
