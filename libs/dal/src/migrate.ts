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

async function latest(knex: Knex, config: Knex.MigratorConfig): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(config)) as [number, string[]];
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
  return latest(knex, configFor(controlPlaneMigrations, CONTROL_PLANE_MIGRATIONS_TABLE));
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
  return latest(knex, configFor(tenantMigrations, TENANT_MIGRATIONS_TABLE));
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
