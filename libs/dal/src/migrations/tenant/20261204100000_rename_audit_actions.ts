import type { Knex } from 'knex';
import { renameAuditActions, restoreLegacyAuditActions } from '../rename-audit-actions';

/** Audit actions take the one naming style of the catalogue (`sign_in` -> `user.signed_in`). */
export async function up(knex: Knex): Promise<void> {
  await renameAuditActions(knex);
}

export async function down(knex: Knex): Promise<void> {
  await restoreLegacyAuditActions(knex);
}
