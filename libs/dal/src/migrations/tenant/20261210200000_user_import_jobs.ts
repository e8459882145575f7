import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Bulk user import (docs/migration.md). A job's validated lines wait in `user_import_lines` until
 * a batch commits them, so a job cut short by a restart resumes from its last committed batch.
 * Imported password hashes live in `credentials` as type `imported`, with their algorithm and
 * parameters; a project-wide secret a scheme needs (Firebase's signer key) is sealed once in
 * `password_hash_keys` and named by id from those parameters.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'user_import_jobs', (t) => {
    uuid(t, 'id').primary();
    t.string('status', 16).notNullable();
    t.string('created_by', 100).notNullable();
    t.integer('total').notNullable().defaultTo(0);
    t.integer('imported').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    json(t, 'errors').notNullable();
    json(t, 'ignored_fields').notNullable();
    t.string('failure_reason', 500).nullable();
    time(t, 'lease_until').nullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    time(t, 'finished_at').nullable();
    t.index(['status'], 'user_import_jobs__status');
  });
  await createTable(knex, 'user_import_lines', (t) => {
    uuid(t, 'job_id').notNullable();
    t.integer('line').notNullable();
    json(t, 'payload').notNullable();
    // A unique key, not a named composite primary key: knex writes the latter wrongly for SQLite.
    t.unique(['job_id', 'line'], { indexName: 'user_import_lines__job_id__line' });
    t.foreign('job_id', 'user_import_lines__job_id__fk')
      .references('id')
      .inTable('user_import_jobs')
      .onDelete('CASCADE');
  });
  await createTable(knex, 'password_hash_keys', (t) => {
    uuid(t, 'id').primary();
    t.string('fingerprint', 64).notNullable();
    t.text('sealed').notNullable();
    time(t, 'created_at').notNullable();
    t.unique(['fingerprint'], { indexName: 'password_hash_keys__fingerprint' });
  });
  await knex.schema.alterTable('credentials', (t) => {
    t.string('algorithm', 32).nullable();
    t.text('params').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('credentials').where({ type: 'imported' }).delete();
  await knex.schema.alterTable('credentials', (t) => {
    t.dropColumn('params');
    t.dropColumn('algorithm');
  });
  await knex.schema.dropTable('password_hash_keys');
  await knex.schema.dropTable('user_import_lines');
  await knex.schema.dropTable('user_import_jobs');
}
