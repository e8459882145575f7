import type { AdminRow } from '@hellojohn/dal';
import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import type { Response } from 'express';

type Role = AdminRow['role'];

/** Whatever turns a bearer token into the admin it names (the auth feature's service). */
export interface AdminAuthenticator {
  authenticate(token: string): Promise<AdminRow>;
}

/** The admin `requireAdmin` authenticated, if it ran and the token was good. */
export function signedInAdmin(res: Response): AdminRow | undefined {
  return res.locals.admin as AdminRow | undefined;
}

/** The authenticated admin, set by `requireAdmin`. */
export function adminOf(res: Response): AdminRow {
  const admin = signedInAdmin(res);
  if (!admin) throw new Error('requireAdmin did not run before this handler');
  return admin;
}

/**
 * Guards a route with a CP admin bearer token. `owner` may do everything; `viewer` only reads.
 * 401 `unauthenticated` / `invalid_token`; for `owner`, 403 `insufficient_role` too.
 *
 * @example
 * api.post('/v1/tenants', requireAdmin('owner'), tenants.create);
 */
export function makeRequireAdmin(auth: AdminAuthenticator) {
  return function requireAdmin(role: Role): Guard {
    return guard(
      {
        errors: [
          'unauthenticated',
          'invalid_token',
          ...(role === 'owner' ? (['insufficient_role'] as const) : []),
        ],
        auth: 'bearer',
      },
      async function authenticateAdmin(req, res, next) {
        const admin = await auth.authenticate(bearerToken(req));
        // Set before the role check so a denied attempt is audited under its real actor.
        res.locals.admin = admin;
        if (role === 'owner' && admin.role !== 'owner') {
          throw new AppError('insufficient_role', 'This action needs the owner role.');
        }
        next();
      },
    );
  };
}
