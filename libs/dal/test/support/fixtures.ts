import { randomUUID } from 'node:crypto';

/** A fresh, empty database for one suite, and how to remove it. */
export interface DatabaseFixture {
  url: string;
  cleanup(): Promise<void>;
}

/** Makes a new empty database (its own random name) each time it is called. */
export type DatabaseFactory = () => Promise<DatabaseFixture>;

/** A tenant database server (HJ_TENANT_DATABASE_URL) for one suite. */
export interface ServerFixture {
  serverUrl: string;
  cleanup(): Promise<void>;
}

export type ServerFactory = () => Promise<ServerFixture>;

export const newId = (): string => randomUUID();

/** A short random suffix for slugs and emails. */
export const suffix = (): string => randomUUID().slice(0, 8);

/** Waits for a condition driven by timers in the code under test (no timing assertion). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Tracks how many callers are inside a section at once. */
export function concurrencyProbe(): {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly max: number;
} {
  let inside = 0;
  let max = 0;
  return {
    async run(fn) {
      inside += 1;
      max = Math.max(max, inside);
      try {
        return await fn();
      } finally {
        inside -= 1;
      }
    },
    get max() {
      return max;
    },
  };
}

/** Walks every page of a keyset-paginated list. */
export async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ rows: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i += 1) {
    const page = await fetch(cursor);
    rows.push(...page.rows);
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}
