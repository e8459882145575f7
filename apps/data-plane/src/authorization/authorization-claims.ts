import type { RoleRow, TenantDb } from '@hellojohn/dal';
import { z } from 'zod';
import { unionOf } from './permissions';

/**
 * The size budget of the authorization claims in an access token (docs/organizations.md): at
 * most 50 permissions and 4 KiB for `roles` and `permissions` together. Past it the token carries
 * `permissions_ref: true` instead of `permissions` (and `roles` only while they alone fit in
 * 1 KiB); userinfo and introspection then return the full sets.
 */
export const TOKEN_PERMISSIONS_MAX = 50;
const TOKEN_AUTHORIZATION_BYTES_MAX = 4096;
const TOKEN_ROLES_BYTES_MAX = 1024;

/** What a user may do, in the tenant and in their active organization. */
export interface Authorization {
  /** Keys of the user's tenant roles. */
  roles: string[];
  /** Without an active organization, the tenant roles' permissions; with one, its role's. */
  permissions: string[];
  /** The active organization, when the user is still its member. */
  organization?: { id: string; role: string };
}

/**
 * The role an organization member's role key stands for: the organization's own role with that
 * key, else the tenant-wide one (the defaults `owner`, `admin`, `member` are tenant-wide).
 */
export async function organizationRole(
  db: TenantDb,
  organizationId: string,
  key: string,
): Promise<RoleRow | undefined> {
  return (await db.roles.findByKey(organizationId, key)) ?? (await db.roles.findByKey(null, key));
}

/**
 * Reads the user's authorization now. `organizationId` is the session's active organization; it
 * counts only while the user is a member, so a removed member's next token drops it.
 */
export async function authorizationOf(
  db: TenantDb,
  userId: string,
  organizationId: string | null,
): Promise<Authorization> {
  const tenantRoles = await db.userRoles.listForUser(userId);
  const roles = tenantRoles.map((role) => role.key);
  if (organizationId !== null) {
    const membership = await db.memberships.find(organizationId, userId);
    if (membership) {
      const role = await organizationRole(db, organizationId, membership.role);
      return {
        roles,
        permissions: unionOf([role?.permissions ?? []]),
        organization: { id: organizationId, role: membership.role },
      };
    }
  }
  return { roles, permissions: unionOf(tenantRoles.map((role) => role.permissions)) };
}

/** The access-token claims for `authorization`, within the size budget. */
export function authorizationClaims(authorization: Authorization): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (authorization.organization) {
    claims['org_id'] = authorization.organization.id;
    claims['org_role'] = authorization.organization.role;
  }
  const { roles, permissions } = authorization;
  const size = Buffer.byteLength(JSON.stringify({ roles, permissions }));
  if (permissions.length <= TOKEN_PERMISSIONS_MAX && size <= TOKEN_AUTHORIZATION_BYTES_MAX) {
    claims['roles'] = roles;
    claims['permissions'] = permissions;
    return claims;
  }
  if (Buffer.byteLength(JSON.stringify(roles)) <= TOKEN_ROLES_BYTES_MAX) claims['roles'] = roles;
  claims['permissions_ref'] = true;
  return claims;
}

/**
 * The full authorization, for userinfo and introspection of a first-party token (one that
 * carries `roles`, `permissions` or `permissions_ref`): read now, so never past the budget.
 */
export const AuthorizationView = {
  roles: z.array(z.string()).optional().describe("First-party tokens: the user's tenant roles."),
  permissions: z
    .array(z.string())
    .optional()
    .describe('First-party tokens: every permission, even past the token size budget.'),
  org_id: z.string().optional().describe("The session's active organization."),
  org_role: z.string().optional().describe('The role in the active organization.'),
};

/** True for a token minted with authorization claims (first-party sessions). */
export function carriesAuthorization(claims: Record<string, unknown>): boolean {
  return 'permissions' in claims || claims['permissions_ref'] === true;
}

/** {@link AuthorizationView} of the session's user, read now. */
export async function authorizationViewOf(
  db: TenantDb,
  userId: string,
  organizationId: string | null,
): Promise<{ roles: string[]; permissions: string[]; org_id?: string; org_role?: string }> {
  const authorization = await authorizationOf(db, userId, organizationId);
  return {
    roles: authorization.roles,
    permissions: authorization.permissions,
    ...(authorization.organization
      ? { org_id: authorization.organization.id, org_role: authorization.organization.role }
      : {}),
  };
}

/**
 * The size budget of `organizations` in an ID token, userinfo answers it whole: at most 50
 * entries and 4 KiB (docs/organizations.md). Past it the ID token says `organizations_ref: true`.
 */
const TOKEN_ORGANIZATIONS_MAX = 50;
const TOKEN_ORGANIZATIONS_BYTES_MAX = 4096;

/** One of the user's organizations, as the `organization` scope shows it. */
export interface OrganizationClaim {
  id: string;
  role: string;
}

/**
 * The claims of the OIDC `organization` scope (docs/organizations.md), read now: `org_id` and
 * `org_role` of the session's active organization while the user is its member, and
 * `organizations` (ids and roles). `budget`: an ID token keeps `organizations` within
 * {@link TOKEN_ORGANIZATIONS_MAX} and 4 KiB, else carries `organizations_ref: true`.
 */
export async function organizationScopeClaims(
  db: TenantDb,
  userId: string,
  organizationId: string | null,
  budget: boolean,
): Promise<Record<string, unknown>> {
  const organizations: OrganizationClaim[] = (await db.organizations.listForUser(userId)).map(
    (org) => ({ id: org.id, role: org.role }),
  );
  const claims: Record<string, unknown> = {};
  const active = organizations.find((org) => org.id === organizationId);
  if (active) {
    claims['org_id'] = active.id;
    claims['org_role'] = active.role;
  }
  const fits =
    organizations.length <= TOKEN_ORGANIZATIONS_MAX &&
    Buffer.byteLength(JSON.stringify(organizations)) <= TOKEN_ORGANIZATIONS_BYTES_MAX;
  if (!budget || fits) claims['organizations'] = organizations;
  else claims['organizations_ref'] = true;
  return claims;
}

/** The `organization` scope's claims in userinfo (always the whole list). */
export const OrganizationScopeView = {
  organizations: z
    .array(z.object({ id: z.string(), role: z.string() }))
    .optional()
    .describe("`organization` scope: the user's organizations and their role in each."),
};
