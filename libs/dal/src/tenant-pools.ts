import type { Knex } from 'knex';
import { createKnex } from './connect';
import type { ServerConnectionStats } from './connection-budget';
import { createConnectionBudget, idleConnectionsOf, isPoolIdle } from './connection-budget';
import { createCursorCodec } from './internal/keyset';
import { listTables } from './internal/list-tables';
import { isUuid } from './internal/ids';
import { migrateTenant, rollbackTenant, TENANT_MIGRATIONS_TABLE } from './migrate';
import { tenantTableNames } from './migrations/tenant';
import { managedDatabaseUrl } from './provisioning/managed';
import type { DomainOutboxHooks } from './tenant/domain-outbox.repository';
import type { TenantDb } from './tenant/tenant-db';
import { buildTenantDb } from './tenant/tenant-db';
import { parseDatabaseUrl } from './url';

/** Where a tenant's database lives: on the managed server, or at an operator-given URL. */
export interface TenantConnectionInfo {
  tenantId: string;
  database: { mode: 'managed' } | { mode: 'external'; url: string };
}

/** Sizing for {@link createTenantPools}. */
export interface TenantPoolsOptions {
  /** HJ_TENANT_DATABASE_URL: a pg/mysql server URL (its database is the admin one) or `sqlite:DIR`. */
  serverUrl: string;
  /** Most tenant pools open at once; the least recently used is closed first. */
  maxOpen: number;
  /** A pool unused this long is closed. */
  idleMs: number;
  /** Connections per tenant pool (pg/mysql); default 5. */
  poolMax?: number;
  /**
   * HJ_TENANT_DB_MAX_CONNECTIONS: most connections this process holds to one tenant database
   * server (pg/mysql), across every tenant pool, migration and provisioning; unlimited when
   * absent. Past it a query waits (FIFO) for one to be freed, idle pools are closed to free them,
   * and after `acquireTimeoutMs` it fails with `ConnectionBudgetExceededError`.
   */
  maxConnectionsPerServer?: number;
  /**
   * How long a tenant query waits for a connection (and a connection for its server) before
   * failing; default 5000. Short, so an unreachable tenant database fails fast.
   */
  acquireTimeoutMs?: number;
  /**
   * Key of the HMAC that signs pagination cursors (at least 16 bytes; the data plane derives it
   * from its master key, so every replica accepts every replica's cursors). Default: random per
   * process.
   */
  cursorSecret?: Buffer;
  /** Told when a domain event is written to a tenant's outbox (the data plane's outbox relay). */
  domainEvents?: DomainOutboxHooks;
}

/** What `inspect` found in a tenant database. */
export type TenantDatabaseState = 'empty' | 'ours' | 'foreign';

/** Opens, caches and closes one connection pool per tenant database. */
export interface TenantPools {
  /** The tenant's repositories; the pool opens on first use. */
  get(info: TenantConnectionInfo): TenantDb;
  /** Applies pending tenant migrations; returns their names. */
  migrate(info: TenantConnectionInfo): Promise<string[]>;
  /** Undoes every tenant migration. */
  rollback(info: TenantConnectionInfo): Promise<void>;
  /**
   * Runs `fn` with the tenant's repositories on a pool of its own (pg/mysql), closed afterwards:
   * for background work such as provisioning, which may wait for a slow connect (knex's 60 s)
   * where a request fails fast (`acquireTimeoutMs`), and which should leave no connections open
   * on a replica that may never serve the tenant. SQLite: the tenant's shared pool.
   */
  withOwnPool<T>(info: TenantConnectionInfo, fn: (db: TenantDb) => Promise<T>): Promise<T>;
  /**
   * 'ours' when tenant_meta names this tenant; 'empty' when the database has no tables, or only
   * our own schema unclaimed (an interrupted provisioning or a rollback leaves that); else
   * 'foreign' (another tenant's database, or anyone else's tables).
   */
  inspect(info: TenantConnectionInfo): Promise<TenantDatabaseState>;
  close(tenantId: string): Promise<void>;
  closeAll(): Promise<void>;
  openCount(): number;
  /** Each tenant database server's connections (only with `maxConnectionsPerServer`). */
  connectionStats(): ServerConnectionStats[];
}

/** What a knex client's connection pool (tarn) tells about work in progress. */
interface BusyPool {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

interface OpenPool {
  url: string;
  /** `host:port` of its server, the connection budget's key. */
  server: string;
  knex: Knex;
  idleTimer: NodeJS.Timeout;
}

const OUR_TABLES = new Set([
  ...tenantTableNames,
  TENANT_MIGRATIONS_TABLE,
  `${TENANT_MIGRATIONS_TABLE}_lock`,
]);

function checkOptions(options: TenantPoolsOptions): void {
  parseDatabaseUrl(options.serverUrl);
  if (!Number.isInteger(options.maxOpen) || options.maxOpen < 1) {
    throw new RangeError('maxOpen must be a positive integer');
  }
  if (!Number.isFinite(options.idleMs) || options.idleMs <= 0) {
    throw new RangeError('idleMs must be a positive number');
  }
  const budget = options.maxConnectionsPerServer;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1)) {
    throw new RangeError('maxConnectionsPerServer must be a positive integer');
  }
}

/** `host:port` of a pg/mysql URL: tenants on one server share its connection budget. */
function serverOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol.startsWith('mysql') ? '3306' : '5432');
  return `${parsed.hostname}:${port}`;
}

/** Background work (migrations, provisioning) may wait as long as knex's default connect. */
const BACKGROUND_WAIT_MS = 60_000;

/**
 * Creates the tenant pools (one connection pool per tenant database): the only way to obtain a
 * {@link TenantDb}.
 *
 * @example
 * const pools = createTenantPools({ serverUrl: config.tenantDatabaseUrl, maxOpen: 100, idleMs: 300_000 });
 * const db = pools.get({ tenantId, database: { mode: 'managed' } });
 * const user = await db.users.findByEmailNormalized('ada@example.com');
 */
export function createTenantPools(options: TenantPoolsOptions): TenantPools {
  checkOptions(options);
  const cursors = createCursorCodec(options.cursorSecret);
  const open = new Map<string, OpenPool>();
  const closing = new Set<Promise<void>>();
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 5_000;

  const urlFor = (info: TenantConnectionInfo): string => {
    if (!isUuid(info.tenantId)) throw new TypeError('tenantId must be a UUID');
    if (info.database.mode === 'managed')
      return managedDatabaseUrl(options.serverUrl, info.tenantId);
    parseDatabaseUrl(info.database.url);
    return info.database.url;
  };

  const destroyInBackground = (pool: OpenPool): Promise<void> => {
    clearTimeout(pool.idleTimer);
    // A pool being destroyed lets running queries finish; errors on the way out are moot.
    const done = pool.knex.destroy().catch(() => undefined);
    closing.add(done);
    void done.finally(() => closing.delete(done));
    return done;
  };

  const close = (tenantId: string): Promise<void> => {
    const pool = open.get(tenantId);
    if (!pool) return Promise.resolve();
    open.delete(tenantId);
    return destroyInBackground(pool);
  };

  /**
   * The idle timer's end: closes the pool unless a query is still running or waiting for a
   * connection (a slow connect on a loaded machine), which would be aborted; then it waits again.
   */
  const closeIfIdle = (tenantId: string): void => {
    const pool = open.get(tenantId);
    if (!pool) return;
    const tarn = (pool.knex.client as { pool?: BusyPool }).pool;
    if (tarn && tarn.numUsed() + tarn.numPendingAcquires() + tarn.numPendingCreates() > 0) {
      pool.idleTimer.refresh();
      return;
    }
    void close(tenantId);
  };

  /**
   * The budget's way to free slots: close idle pools on `server` holding idle connections, least
   * recently used first, until `count` connections are on their way out.
   */
  const reclaim = (server: string, count: number): void => {
    let freed = 0;
    for (const [tenantId, pool] of open) {
      if (freed >= count) return;
      if (pool.server !== server || !isPoolIdle(pool.knex)) continue;
      const idle = idleConnectionsOf(pool.knex);
      if (idle === 0) continue;
      freed += idle;
      void close(tenantId);
    }
  };
  const budget =
    options.maxConnectionsPerServer === undefined
      ? undefined
      : createConnectionBudget(options.maxConnectionsPerServer, reclaim);

  /** Puts a pg/mysql pool under its server's connection budget; returns the server's key. */
  const budgetServer = (knex: Knex, url: string, waitMs: number): string => {
    if (parseDatabaseUrl(url).driver === 'sqlite') return url;
    const server = serverOf(url);
    // Just under the pool's own acquire timeout, so the request sees the budget's refusal.
    budget?.attach(knex, server, Math.max(1, waitMs - 50));
    return server;
  };

  const acquire = (tenantId: string, url: string): Knex => {
    const current = open.get(tenantId);
    if (current && current.url === url) {
      // Map order is the LRU order: move to the back on each use.
      open.delete(tenantId);
      open.set(tenantId, current);
      current.idleTimer.refresh();
      return current.knex;
    }
    if (current) void close(tenantId);
    const knex = createKnex(url, {
      poolMax: options.poolMax ?? 5,
      poolMin: 0,
      acquireTimeoutMs,
    });
    const server = budgetServer(knex, url, acquireTimeoutMs);
    const idleTimer = setTimeout(() => {
      closeIfIdle(tenantId);
    }, options.idleMs);
    idleTimer.unref();
    open.set(tenantId, { url, server, knex, idleTimer });
    for (const oldest of open.keys()) {
      if (open.size <= options.maxOpen) break;
      void close(oldest);
    }
    return knex;
  };

  // pg/mysql: migrations run on their own short-lived pool so an LRU eviction cannot cut one
  // short. SQLite: on the tenant's one pooled connection, because better-sqlite3 waits for a
  // lock synchronously: a second connection in this process would block the event loop while
  // the first one holds the lock, and both would stall until busy_timeout.
  const withMigrationHandle = async <T>(
    info: TenantConnectionInfo,
    fn: (knex: Knex) => Promise<T>,
    poolMax = 1,
  ): Promise<T> => {
    const url = urlFor(info);
    if (parseDatabaseUrl(url).driver === 'sqlite') return fn(acquire(info.tenantId, url));
    const knex = createKnex(url, { poolMax, poolMin: 0 });
    budgetServer(knex, url, BACKGROUND_WAIT_MS);
    try {
      return await fn(knex);
    } finally {
      await knex.destroy();
    }
  };

  return {
    get(info) {
      const url = urlFor(info);
      return buildTenantDb(
        info.tenantId,
        () => acquire(info.tenantId, url),
        cursors,
        options.domainEvents,
      );
    },
    migrate: (info) => withMigrationHandle(info, migrateTenant),
    withOwnPool: (info, fn) =>
      withMigrationHandle(
        info,
        (knex) => fn(buildTenantDb(info.tenantId, () => knex, cursors, options.domainEvents)),
        options.poolMax ?? 5,
      ),
    rollback: (info) => withMigrationHandle(info, rollbackTenant),
    async inspect(info) {
      const knex = acquire(info.tenantId, urlFor(info));
      const tables = await listTables(knex);
      if (tables.includes('tenant_meta')) {
        const owners = (await knex('tenant_meta').pluck('tenant_id')) as unknown[];
        if (owners.includes(info.tenantId)) return 'ours';
        if (owners.length > 0) return 'foreign';
      }
      // Nothing, or only our own unclaimed schema (an interrupted provisioning, or a rollback).
      return tables.every((t) => OUR_TABLES.has(t)) ? 'empty' : 'foreign';
    },
    close,
    async closeAll() {
      await Promise.all([...open.keys()].map((tenantId) => close(tenantId)));
      await Promise.all([...closing]);
    },
    openCount: () => open.size,
    connectionStats: () => budget?.stats() ?? [],
  };
}
