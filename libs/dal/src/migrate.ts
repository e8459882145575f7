import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { controlPlaneMigrations } from './migrations/control-plane';
import type { NamedMigration } from './migrations/schema-helpers';
import { tenantMigrations } from './migrations/tenant';

/** The bookkeeping table per plane; distinct names let `inspect` tell the planes apart. */
export const CONTROL_PLANE_MIGRATIONS_TABLE = 'hj_cp_migrations';
export const TENANT_MIGRATIONS_TABLE = 'hj_tenant_migrations';

class StaticMigrationSource implements Knex.MigrationSource<NamedMigration> {
  constructor(private readonly migrations: readonly NamedMigration[]) {}

  getMigrations(): Promise<NamedMigration[]> {
    return Promise.resolve([...this.migrations]);
  }

  getMigrationName(migration: NamedMigration): string {
    return migration.name;
  }

  getMigration(migration: NamedMigration): Promise<Knex.Migration> {
    return Promise.resolve(migration.migration);
  }
}

function configFor(migrations: readonly NamedMigration[], tableName: string): Knex.MigratorConfig {
  return { migrationSource: new StaticMigrationSource(migrations), tableName };
}

/**
 * True when `tableName` records exactly `migrations`: then knex's `latest` would only confirm
 * that, at 8-10 round trips (its lock table, a locking transaction, the list) where this costs
 * two. Every tenant database copied from a template, and every `migrate:tenants` pass over
 * current tenants, takes this path. Anything else (pending, unknown or missing names) goes to
 * knex, which applies or refuses as before.
 */
async function alreadyCurrent(
  knex: Knex,
  migrations: readonly NamedMigration[],
  tableName: string,
): Promise<boolean> {
  if (!(await knex.schema.hasTable(tableName))) return false;
  const recorded = new Set((await knex(tableName).pluck('name')) as string[]);
  return recorded.size === migrations.length && migrations.every((m) => recorded.has(m.name));
}

async function latest(
  knex: Knex,
  migrations: readonly NamedMigration[],
  tableName: string,
): Promise<string[]> {
  if (await alreadyCurrent(knex, migrations, tableName)) return [];
  const [, applied] = (await knex.migrate.latest(configFor(migrations, tableName))) as [
    number,
    string[],
  ];
  return applied;
}

async function rollbackAll(knex: Knex, config: Knex.MigratorConfig): Promise<void> {
  await knex.migrate.rollback(config, true);
}

/**
 * Applies every pending control-plane migration; returns the names applied (empty when current).
 *
 * @example
 * const applied = await migrateControlPlane(createKnex(config.cpDatabaseUrl));
 */
export function migrateControlPlane(knex: Knex): Promise<string[]> {
  return latest(knex, controlPlaneMigrations, CONTROL_PLANE_MIGRATIONS_TABLE);
}

/**
 * Undoes every control-plane migration (tests and disaster drills; production rolls forward).
 *
 * @example
 * await rollbackControlPlane(knex);
 */
export function rollbackControlPlane(knex: Knex): Promise<void> {
  return rollbackAll(knex, configFor(controlPlaneMigrations, CONTROL_PLANE_MIGRATIONS_TABLE));
}

/**
 * Applies every pending tenant migration to one tenant database (normally via the tenant pools).
 *
 * @example
 * const applied = await migrateTenant(knex);
 */
export function migrateTenant(knex: Knex): Promise<string[]> {
  return latest(knex, tenantMigrations, TENANT_MIGRATIONS_TABLE);
}

/**
 * Undoes every tenant migration on one tenant database.
 *
 * @example
 * await rollbackTenant(knex);
 */
export function rollbackTenant(knex: Knex): Promise<void> {
  return rollbackAll(knex, configFor(tenantMigrations, TENANT_MIGRATIONS_TABLE));
}

/**
 * A short digest of the tenant migration list (names, in order): it names the template database
 * new tenant databases are copied from, so a new migration means a new template. Shipped
 * migrations never change, so their names identify the schema they build.
 *
 * @example
 * tenantMigrationsFingerprint(); // '3f9a0c1b2d4e5f60'
 */
export function tenantMigrationsFingerprint(): string {
  const names = tenantMigrations.map((m) => m.name).join('\n');
  return createHash('sha256').update(names).digest('hex').slice(0, 16);
}
