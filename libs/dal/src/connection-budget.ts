import type { Knex } from 'knex';

/**
 * A tenant query waited past its acquire timeout for one of its server's budgeted connections.
 * It carries PostgreSQL's SQLSTATE too_many_connections (53300), which `isConnectionError` already
 * counts as "try later": the request answers 503 `tenant_unavailable` with `Retry-After`.
 */
export class ConnectionBudgetExceededError extends Error {
  readonly code = '53300';
  constructor(readonly server: string) {
    super(`Connection budget for ${server} spent: no connection freed in time`);
    this.name = 'ConnectionBudgetExceededError';
  }
}

/** One tenant database server's connections, as this process holds them. */
export interface ServerConnectionStats {
  /** `host:port` of the server (never a tenant: bounded cardinality). */
  server: string;
  /** Most connections this process may hold to the server (HJ_TENANT_DB_MAX_CONNECTIONS). */
  limit: number;
  /** Connections open now (connecting, idle or running a query). */
  open: number;
  /** Connections running a query or transaction now. */
  inUse: number;
  /** Connection requests queued for the budget now. */
  waiting: number;
  /** Requests that gave up waiting for the budget since start. */
  refusals: number;
}

/** What tarn's pool (behind knex) exposes publicly. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  on(event: 'release', handler: (connection: unknown) => void): void;
}

/** The knex client methods the budget wraps, per instance. */
interface BudgetedClient {
  pool?: TarnPool;
  acquireRawConnection(): Promise<unknown>;
  destroyRawConnection(connection: unknown): Promise<void>;
  validateConnection(connection: unknown): boolean | Promise<boolean>;
}

interface Waiter {
  grant(): void;
  timer: NodeJS.Timeout;
}

interface ServerState {
  open: number;
  refusals: number;
  queue: Waiter[];
  clients: Set<BudgetedClient>;
}

/** Server-wide connection accounting shared by every tenant pool of a process. */
export interface ConnectionBudget {
  /**
   * Makes every connection `knex` opens take one of `server`'s slots first (waiting in FIFO order
   * at most `waitMs`, then failing with {@link ConnectionBudgetExceededError}) and give it back
   * once closed. While others wait, a connection this pool releases is closed rather than kept
   * idle, so a busy tenant cannot hold slots another tenant is queued for.
   */
  attach(knex: Knex, server: string, waitMs: number): void;
  stats(): ServerConnectionStats[];
}

/** Wants `count` slots of `server` back: the tenant pools close idle pools, oldest first. */
export type Reclaim = (server: string, count: number) => void;

/**
 * Creates the budget of `limit` connections per tenant database server. When every slot is taken,
 * `reclaim` is asked to close idle pools before the request queues.
 */
export function createConnectionBudget(limit: number, reclaim: Reclaim): ConnectionBudget {
  const servers = new Map<string, ServerState>();
  const stateOf = (server: string): ServerState => {
    let state = servers.get(server);
    if (!state) {
      state = { open: 0, refusals: 0, queue: [], clients: new Set() };
      servers.set(server, state);
    }
    return state;
  };

  /** knex drops its pool once destroyed: such clients hold nothing more. */
  const forgetDestroyed = (state: ServerState): void => {
    for (const client of state.clients) if (!client.pool) state.clients.delete(client);
  };

  /** Hands a freed slot to the first waiter, or returns it. */
  const giveBack = (state: ServerState): void => {
    const next = state.queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant();
    } else state.open -= 1;
  };

  const take = (server: string, waitMs: number): Promise<void> => {
    const state = stateOf(server);
    if (state.open < limit && state.queue.length === 0) {
      state.open += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          state.queue.splice(state.queue.indexOf(waiter), 1);
          state.refusals += 1;
          reject(new ConnectionBudgetExceededError(server));
        }, waitMs),
      };
      state.queue.push(waiter);
      reclaim(server, state.queue.length);
    });
  };

  return {
    attach(knex, server, waitMs) {
      const client = knex.client as BudgetedClient;
      const state = stateOf(server);
      const budgeted = new WeakSet<object>();
      // Released while others queued: closed at its next validation instead of being reused.
      const returning = new WeakSet<object>();
      const acquireRaw = client.acquireRawConnection.bind(client);
      const destroyRaw = client.destroyRawConnection.bind(client);
      const validate = client.validateConnection.bind(client);
      forgetDestroyed(state);
      state.clients.add(client);
      client.acquireRawConnection = async () => {
        await take(server, waitMs);
        try {
          const connection = await acquireRaw();
          budgeted.add(connection as object);
          return connection;
        } catch (error) {
          giveBack(state);
          throw error;
        }
      };
      client.destroyRawConnection = async (connection) => {
        try {
          await destroyRaw(connection);
        } finally {
          if (budgeted.delete(connection as object)) giveBack(state);
        }
      };
      client.validateConnection = (connection) =>
        returning.has(connection as object) ? false : validate(connection);
      client.pool?.on('release', (connection) => {
        if (state.queue.length === 0) return;
        returning.add(connection as object);
        // Once tarn has put it back: if the pool is now idle, the reclaim closes it.
        setImmediate(() => {
          reclaim(server, state.queue.length);
        });
      });
    },
    stats() {
      return [...servers].map(([server, state]) => {
        forgetDestroyed(state);
        let inUse = 0;
        for (const client of state.clients) inUse += client.pool?.numUsed() ?? 0;
        return {
          server,
          limit,
          open: state.open,
          inUse,
          waiting: state.queue.length,
          refusals: state.refusals,
        };
      });
    },
  };
}

/** True when a pool runs nothing and waits for nothing: closing it aborts no query. */
export function isPoolIdle(knex: Knex): boolean {
  const pool = (knex.client as BudgetedClient).pool;
  if (!pool) return true;
  return pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() === 0;
}

/** Connections a pool holds open and idle. */
export function idleConnectionsOf(knex: Knex): number {
  return (knex.client as BudgetedClient).pool?.numFree() ?? 0;
}
