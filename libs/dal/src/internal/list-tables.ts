import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';

const nameRows = z.array(z.object({ name: z.string() }));

/** Base tables of the connected database (pg: the current schema), sorted. */
export async function listTables(db: Knex | Knex.Transaction): Promise<string[]> {
  let rows: unknown;
  switch (driverOf(db)) {
    case 'pg':
      rows = (
        await db.raw<{ rows: unknown }>(
          "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
        )
      ).rows;
      break;
    case 'mysql':
      rows = (
        await db.raw<[unknown, unknown]>(
          "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'",
        )
      )[0];
      break;
    case 'sqlite':
      rows = await db.raw(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
      );
      break;
  }
  return nameRows
    .parse(rows)
    .map((row) => row.name)
    .sort();
}
