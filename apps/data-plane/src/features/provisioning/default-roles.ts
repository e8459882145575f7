import { randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';

/**
 * The tenant-wide roles every tenant starts with. Permissions are `resource:action` strings; `*`
 * grants everything. Tenants may add their own roles; these keys are never re-created once there.
 */
export const DEFAULT_ROLES: ReadonlyArray<{ key: string; name: string; permissions: string[] }> = [
  { key: 'owner', name: 'Owner', permissions: ['*'] },
  {
    key: 'admin',
    name: 'Admin',
    permissions: [
      'users:read',
      'users:write',
      'organizations:read',
      'organizations:write',
      'members:read',
      'members:write',
      'invitations:write',
      'roles:read',
    ],
  },
  {
    key: 'member',
    name: 'Member',
    permissions: ['organizations:read', 'members:read'],
  },
];

/**
 * Inserts the default roles the tenant does not have yet; returns the keys it added. Idempotent
 * under the provisioning lock (the unique key on (organization_id, key) does not hold for NULL
 * organization ids, so the lock is what keeps two provisioners from both inserting).
 */
export async function seedDefaultRoles(db: TenantDb): Promise<string[]> {
  const existing = new Set((await db.roles.listTenantWide()).map((role) => role.key));
  const missing = DEFAULT_ROLES.filter((role) => !existing.has(role.key));
  if (missing.length === 0) return [];
  await db.transaction(async (tx) => {
    for (const role of missing) {
      await tx.roles.insert({
        id: randomUUID(),
        organizationId: null,
        ...role,
        permissions: [...role.permissions],
      });
    }
  });
  return missing.map((role) => role.key);
}
