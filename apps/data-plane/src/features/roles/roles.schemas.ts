import type { RoleRow } from '@hellojohn/dal';
import { safeText } from '@hellojohn/http';
import { z } from 'zod';
import { Permissions, RoleKey } from '../../authorization/permissions';

export const Role = z
  .object({
    key: RoleKey,
    name: z.string(),
    permissions: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('A role: a named set of `resource:action` permissions');

export const RoleList = z.object({ data: z.array(Role) });

const RoleName = safeText().min(1).max(200);

export const CreateRoleBody = z.strictObject({
  key: RoleKey,
  name: RoleName,
  permissions: Permissions,
});

export const PatchRoleBody = z.strictObject({
  name: RoleName.optional(),
  permissions: Permissions.optional().describe('Replaces the whole list.'),
});

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const RoleParams = z.object({ role: RoleKey });

export const UserRoleParams = z.object({ id: z.string().min(1).max(64), role: RoleKey });

export function toRoleView(role: RoleRow): z.input<typeof Role> {
  return {
    key: role.key,
    name: role.name,
    permissions: role.permissions,
    created_at: role.createdAt.toISOString(),
    updated_at: role.updatedAt.toISOString(),
  };
}
