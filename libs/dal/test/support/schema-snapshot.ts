import type { Knex } from 'knex';

/** `table.column` names of every base table, sorted: what the migrations built. */
export async function schemaSnapshot(knex: Knex): Promise<string[]> {
  const client = String((knex.client as Knex.Client).config.client);
  let rows: { t: string; c: string }[];
  if (client === 'better-sqlite3') {
    const tables: { name: string }[] = await knex.raw(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    );
    rows = [];
    for (const { name } of tables) {
      const cols: { name: string }[] = await knex.raw('select name from pragma_table_info(?)', [
        name,
      ]);
      rows.push(...cols.map((c) => ({ t: name, c: c.name })));
    }
  } else if (client === 'pg') {
    const result = await knex.raw(
      'select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()',
    );
    rows = result.rows;
  } else {
    const [result] = await knex.raw(
      'select table_name as t, column_name as c from information_schema.columns where table_schema = database()',
    );
    rows = result;
  }
  return rows.map((r) => `${r.t}.${r.c}`).sort();
}
