import { createKnex } from './connect';
import { AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS } from './audit-actions';
import { migrateControlPlane, migrateTenant, rollbackTenant } from './migrate';

describe('AUDIT_ACTIONS', () => {
  it('names every action <entity>.<past_tense> in snake_case', () => {
    for (const action of Object.keys(AUDIT_ACTIONS)) {
      expect(action).toMatch(/^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$/);
    }
  });

  it('maps every legacy name to a catalogued action', () => {
    for (const current of Object.values(LEGACY_AUDIT_ACTIONS)) {
      expect(Object.keys(AUDIT_ACTIONS)).toContain(current);
    }
  });
});

describe('the rename_audit_actions migrations', () => {
  async function legacyRows(knex: ReturnType<typeof createKnex>, actions: string[]) {
    await knex('audit_log').insert(
      actions.map((action, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        actor: 'someone',
        action,
        outcome: 'success',
        details: '{}',
        created_at: new Date(),
      })),
    );
  }

  it('rewrites stored tenant rows to the catalogue names and back on rollback', async () => {
    const knex = createKnex('sqlite::memory:');
    try {
      await migrateTenant(knex);
      await knex('hj_tenant_migrations').where('name', 'like', '%rename_audit_actions').del();
      await legacyRows(knex, ['sign_in', 'account_delete', 'admin.user_delete', 'custom.kept']);
      await migrateTenant(knex);
      const actions = await knex('audit_log').orderBy('id').pluck('action');
      expect(actions).toEqual(['user.signed_in', 'user.deleted', 'user.deleted', 'custom.kept']);
      await rollbackTenant(knex);
    } finally {
      await knex.destroy();
    }
  });

  it('rewrites stored control-plane rows', async () => {
    const knex = createKnex('sqlite::memory:');
    try {
      await migrateControlPlane(knex);
      await knex('hj_cp_migrations').where('name', 'like', '%rename_audit_actions').del();
      await legacyRows(knex, ['tenant.create', 'client.secret.rotate', 'admin.sign_in']);
      await migrateControlPlane(knex);
      const actions = await knex('audit_log').orderBy('id').pluck('action');
      expect(actions).toEqual(['tenant.created', 'client.secret_rotated', 'admin.signed_in']);
    } finally {
      await knex.destroy();
    }
  });
});
