import type { AdminRole } from '@hellojohn/dal';
import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import { coversTenant, roleAllows, setActor, type Actor } from './actor';

export { actorOf, signedInActor } from './actor';
export type { Actor } from './actor';

/** Bearer secrets that are API keys rather than admin access tokens. */
const API_KEY_PREFIX = 'hjk_';

/** What turns a bearer credential into the actor it names. */
export interface ActorAuthenticators {
  /** A CP admin access token (the auth feature). */
  admins: { authenticate(token: string): Promise<Actor> };
  /** An `hjk_` API key (the api-keys feature); `ip` is recorded as its last use. */
  apiKeys: { authenticate(key: string, ip: string | null): Promise<Actor> };
  /** A tenant's id from its id or slug, undefined when there is none. */
  tenantIdOf(ref: string): Promise<string | undefined>;
}

/** Options of one `requireAdmin` guard. */
export interface RequireAdminOptions {
  /**
   * The action is platform-wide (admins, API keys, creating tenants, the audit log): a grant on
   * a list of tenants is not enough, whatever its role.
   */
  global?: boolean;
}

/**
 * Guards a route with a CP admin access token or an API key (`Authorization: Bearer hjk_...`).
 * Roles rank `owner` > `admin` > `viewer`. A route with a `:tenant` parameter answers 404
 * `tenant_not_found` for a tenant outside the caller's grant, before any role check, so a scoped
 * operator cannot learn which other tenants exist.
 *
 * @example
 * api.patch('/v1/tenants/:tenant', requireAdmin('admin'), tenants.update);
 * api.post('/v1/api-keys', requireAdmin('owner', { global: true }), apiKeys.create);
 */
export function makeRequireAdmin(auth: ActorAuthenticators) {
  return function requireAdmin(role: AdminRole, options: RequireAdminOptions = {}): Guard {
    const denies = role !== 'viewer' || options.global === true;
    return guard(
      {
        errors: [
          'unauthenticated',
          'invalid_token',
          'tenant_not_found',
          ...(denies ? (['insufficient_role'] as const) : []),
        ],
        auth: 'bearer',
      },
      async function authenticateAdmin(req, res, next) {
        const token = bearerToken(req);
        const actor = token.startsWith(API_KEY_PREFIX)
          ? await auth.apiKeys.authenticate(token, req.ip ?? null)
          : await auth.admins.authenticate(token);
        // Set before the checks so a denied attempt is audited under its real actor.
        setActor(res, actor);
        const ref = (req.params as Record<string, string | undefined>).tenant;
        if (ref !== undefined && actor.tenants !== null) {
          const tenantId = await auth.tenantIdOf(ref);
          if (tenantId === undefined || !coversTenant(actor, tenantId)) {
            throw new AppError('tenant_not_found', `No tenant "${ref}".`);
          }
        }
        if (!roleAllows(actor.role, role)) {
          throw new AppError('insufficient_role', `This action needs the ${role} role.`);
        }
        if (options.global === true && actor.tenants !== null) {
          throw new AppError(
            'insufficient_role',
            'This action needs a grant on every tenant, not a list of tenants.',
          );
        }
        next();
      },
    );
  };
}
