import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseFactory, ServerFactory } from './fixtures';

/** A fresh SQLite file in its own temporary directory. */
export const sqliteDatabase: DatabaseFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-dal-'));
  return Promise.resolve({
    url: `sqlite:${join(dir, 'db.sqlite')}`,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
};

/** A fresh `sqlite:DIR` tenant database server. */
export const sqliteServer: ServerFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-dal-tenants-'));
  return Promise.resolve({
    serverUrl: `sqlite:${join(dir, 'tenants')}`,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
};
