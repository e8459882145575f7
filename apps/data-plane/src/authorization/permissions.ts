import { z } from 'zod';

/**
 * A permission is `resource:action` (lowercase letters, digits, `_`, `-`, `.`; the action may
 * be `*`), or `*` alone, which grants everything (docs/organizations.md).
 */
const PERMISSION_PATTERN = /^(\*|[a-z0-9][a-z0-9_.-]{0,62}:(\*|[a-z0-9][a-z0-9_.-]{0,62}))$/;

export const Permission = z
  .string()
  .regex(PERMISSION_PATTERN, 'A permission is "resource:action" (lowercase) or "*".')
  .describe('`resource:action`, e.g. `docs:write`; `resource:*` or `*` grant more.');

/** At most this many permissions per role. */
const MAX_ROLE_PERMISSIONS = 100;

export const Permissions = z
  .array(Permission)
  .max(MAX_ROLE_PERMISSIONS)
  .transform((list) => [...new Set(list)].sort());

/** A role key: lowercase, starts with a letter; used in paths and tokens. */
export const RoleKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'A role key is lowercase letters, digits, "_" or "-" (max 64).')
  .describe('The role key, e.g. `editor`.');

/** The union of several roles' permissions, sorted and without duplicates. */
export function unionOf(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())].sort();
}

/** True when `granted` includes `required` directly, through `resource:*`, or through `*`. */
export function permits(granted: readonly string[], required: string): boolean {
  if (granted.includes('*') || granted.includes(required)) return true;
  const resource = required.split(':')[0];
  return resource !== undefined && granted.includes(`${resource}:*`);
}
