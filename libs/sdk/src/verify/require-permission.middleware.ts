import './express-request';
import type { Request, RequestHandler, Response } from 'express';
import type { AuthInfo } from './token-claims';

/** Options of {@link requirePermission}. */
export interface RequirePermissionOptions {
  /**
   * The full permission set when the token carries `permissions_ref: true` instead (its
   * permissions exceeded the token size budget): e.g. from HelloJohn's userinfo or introspection
   * endpoint. Without it, such a token is refused.
   */
  resolvePermissions?: (req: Request, auth: AuthInfo) => Promise<readonly string[]>;
}

/** Options of {@link requireOrgRole}. */
export interface RequireOrgRoleOptions {
  /**
   * The organization the route is about (e.g. `req.params.org`): the token's active organization
   * (`org_id`) must be it. Without it, any active organization passes.
   */
  organizationOf?: (req: Request) => string | undefined;
}

/** True when `granted` holds `required` itself, `resource:*` for it, or `*`. */
export function hasPermission(granted: readonly string[], required: string): boolean {
  if (granted.includes('*') || granted.includes(required)) return true;
  const colon = required.indexOf(':');
  return colon > 0 && granted.includes(`${required.slice(0, colon)}:*`);
}

/** The built-in organization roles, each including the ones after it. */
const ROLE_RANK: Readonly<Record<string, number>> = { owner: 3, admin: 2, member: 1 };

/**
 * True when `held` satisfies `required`: the same role, or for the built-in roles a higher one
 * (an `owner` passes `requireOrgRole('admin')`). Custom roles match only themselves.
 */
export function satisfiesOrgRole(held: string, required: string): boolean {
  if (held === required) return true;
  const heldRank = ROLE_RANK[held];
  const requiredRank = ROLE_RANK[required];
  return heldRank !== undefined && requiredRank !== undefined && heldRank >= requiredRank;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function forbid(res: Response, error: string, description: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(403).json({ error, error_description: description });
}

function authInfoOf(req: Request): AuthInfo {
  if (!req.auth) throw new Error('requireAuth must run before this guard');
  return req.auth;
}

/**
 * Express middleware admitting a request whose verified token (from `requireAuth`, which must
 * run first) grants `permission`: directly, by `resource:*`, or by `*`. With an active
 * organization the token's `permissions` are that organization role's. Otherwise 403
 * `{ error: 'insufficient_permission' }`.
 *
 * @example
 * ```ts
 * app.put('/docs/:id', requireAuth({ tenantUrl, audience: tenantUrl }),
 *   requirePermission('docs:write'), saveDoc);
 * ```
 */
export function requirePermission(
  permission: string,
  options: RequirePermissionOptions = {},
): RequestHandler {
  return async function checkPermission(req, res, next) {
    let granted: readonly string[];
    try {
      const auth = authInfoOf(req);
      if (auth.claims.permissions_ref === true) {
        if (!options.resolvePermissions) {
          forbid(
            res,
            'insufficient_permission',
            'The token refers to its permissions (permissions_ref); they could not be resolved',
          );
          return;
        }
        granted = await options.resolvePermissions(req, auth);
      } else {
        granted = strings(auth.claims.permissions);
      }
    } catch (error) {
      next(error);
      return;
    }
    if (!hasPermission(granted, permission)) {
      forbid(res, 'insufficient_permission', `The token does not grant "${permission}"`);
      return;
    }
    next();
  };
}

/**
 * Express middleware admitting a request whose verified token (from `requireAuth`, which must
 * run first) has an active organization (`org_id`) where the user holds `role` (an owner passes
 * for `admin` and `member`, an admin for `member`). Otherwise 403 `{ error: 'insufficient_role' }`.
 *
 * @example
 * ```ts
 * app.delete('/orgs/:org/projects/:id', requireAuth(opts),
 *   requireOrgRole('admin', { organizationOf: (req) => req.params.org }), removeProject);
 * ```
 */
export function requireOrgRole(role: string, options: RequireOrgRoleOptions = {}): RequestHandler {
  return function checkOrgRole(req, res, next) {
    let claims: AuthInfo['claims'];
    try {
      claims = authInfoOf(req).claims;
    } catch (error) {
      next(error);
      return;
    }
    const orgId = typeof claims.org_id === 'string' ? claims.org_id : undefined;
    const held = typeof claims.org_role === 'string' ? claims.org_role : undefined;
    if (orgId === undefined || held === undefined) {
      forbid(res, 'insufficient_role', 'The token has no active organization');
      return;
    }
    const wanted = options.organizationOf?.(req);
    if (options.organizationOf && wanted !== orgId) {
      forbid(res, 'insufficient_role', "The token's active organization is another one");
      return;
    }
    if (!satisfiesOrgRole(held, role)) {
      forbid(res, 'insufficient_role', `The role "${role}" is required in the organization`);
      return;
    }
    next();
  };
}
