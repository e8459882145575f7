import type { Knex } from 'knex';
import { LEGACY_AUDIT_ACTIONS } from '../audit-actions';

/**
 * Rewrites stored audit rows from the legacy action names to the catalogue's (docs/audit.md), so
 * filtering by action finds old and new entries alike. Shared by both planes' audit logs.
 */
export async function renameAuditActions(knex: Knex): Promise<void> {
  for (const [legacy, current] of Object.entries(LEGACY_AUDIT_ACTIONS)) {
    await knex('audit_log').where({ action: legacy }).update({ action: current });
  }
}

/**
 * Back to the legacy names. Where two legacy names became one (`account_delete` and
 * `admin.user_delete` are both `user.deleted` now), the row takes the first legacy name listed:
 * production rolls forward, so this only serves migration round-trip tests.
 */
export async function restoreLegacyAuditActions(knex: Knex): Promise<void> {
  const restored = new Set<string>();
  for (const [legacy, current] of Object.entries(LEGACY_AUDIT_ACTIONS)) {
    if (restored.has(current)) continue;
    restored.add(current);
    await knex('audit_log').where({ action: current }).update({ action: legacy });
  }
}
