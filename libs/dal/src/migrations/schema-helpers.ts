import type { Knex } from 'knex';
import { driverOf } from '../connect';

/** The functions knex calls for one migration. */
export interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** A migration and the name recorded for it (the file name without extension). */
export interface NamedMigration {
  name: string;
  migration: MigrationModule;
}

/**
 * Creates a table. MySQL/MariaDB only (a rare, deliberate dialect branch): utf8mb4 with a binary
 * collation, so unique keys and lookups are case- and accent-sensitive like on pg and SQLite.
 */
export async function createTable(
  knex: Knex,
  name: string,
  build: (table: Knex.CreateTableBuilder) => void,
): Promise<void> {
  await knex.schema.createTable(name, (table) => {
    build(table);
    if (driverOf(knex) === 'mysql') {
      table.engine('InnoDB');
      table.charset('utf8mb4');
      table.collate('utf8mb4_bin');
    }
  });
}

/** A UUID kept as text: the same type and comparison on every driver. */
export function uuid(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.string(name, 36);
}

/** A point in time with millisecond precision (timestamptz(3) / DATETIME(3) / SQLite number). */
export function time(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.datetime(name, { precision: 3 });
}

/** A JSON document stored as text (MEDIUMTEXT on MySQL, whose TEXT stops at 64 KiB). */
export function json(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.text(name, 'mediumtext');
}
