import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

/**
 * Organizations and role-based access control (docs/organizations.md).
 *
 * `user_roles` assigns tenant-wide roles to users (tenant RBAC); both ends cascade, so deleting a
 * user or a role removes its assignments.
 *
 * `sessions.organization_id` is the session's active organization (`POST /v1/auth/refresh` with
 * `organization_id`). No foreign key, for the reason given in 20261205100000_add_session_sso:
 * adding one makes knex rebuild `sessions` on SQLite, cascading into `refresh_tokens`. A deleted
 * organization or a removed membership is caught where it matters: the refresh that mints the
 * next access token re-reads the membership.
 *
 * `roles.organization_scope` makes role keys unique per scope on every engine: the existing
 * unique key on (organization_id, key) does not hold for tenant-wide roles, whose
 * organization_id is NULL (NULLs are distinct). The scope is the organization id, or '' for a
 * tenant-wide role.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'user_roles', (t) => {
    uuid(t, 'user_id').notNullable();
    uuid(t, 'role_id').notNullable();
    time(t, 'created_at').notNullable();
    t.unique(['user_id', 'role_id'], { indexName: 'user_roles__user_id__role_id' });
    t.index(['role_id'], 'user_roles__role_id');
    t.foreign('user_id', 'user_roles__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.foreign('role_id', 'user_roles__role_id__fk')
      .references('id')
      .inTable('roles')
      .onDelete('CASCADE');
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.string('organization_id', 36).nullable();
  });
  await knex.schema.alterTable('roles', (t) => {
    t.string('organization_scope', 36).notNullable().defaultTo('');
  });
  await knex('roles')
    .whereNotNull('organization_id')
    .update({ organization_scope: knex.ref('organization_id') });
  await knex.schema.alterTable('roles', (t) => {
    t.unique(['organization_scope', 'key'], { indexName: 'roles__organization_scope__key' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.dropUnique(['organization_scope', 'key'], 'roles__organization_scope__key');
  });
  // Plain DROP COLUMN on every driver (SQLite >= 3.35): knex's dropColumn rebuilds the table on
  // SQLite, and dropping the old `sessions` would cascade into `refresh_tokens`.
  await knex.raw('alter table ?? drop column ??', ['roles', 'organization_scope']);
  await knex.raw('alter table ?? drop column ??', ['sessions', 'organization_id']);
  await knex.schema.dropTable('user_roles');
}
