import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKnex, driverOf } from './connect';

describe('createKnex on SQLite', () => {
  it('creates the parent directory and sets the connection pragmas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hj-dal-connect-'));
    const knex = createKnex(`sqlite:${join(dir, 'nested', 'deeper', 'x.db')}`);
    try {
      expect(driverOf(knex)).toBe('sqlite');
      expect(await knex.raw('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await knex.raw('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await knex.raw('pragma busy_timeout')).toEqual([{ timeout: 5000 }]);
    } finally {
      await knex.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens an in-memory database', async () => {
    const knex = createKnex('sqlite::memory:');
    expect(await knex.raw('select 1 as one')).toEqual([{ one: 1 }]);
    await knex.destroy();
  });

  it('maps pg and mysql URLs to their clients without connecting', async () => {
    const pg = createKnex('postgres://u@127.0.0.1:1/x');
    const mysql = createKnex('mysql://u@127.0.0.1:1/x');
    expect([driverOf(pg), driverOf(mysql)]).toEqual(['pg', 'mysql']);
    await Promise.all([pg.destroy(), mysql.destroy()]);
  });
});
