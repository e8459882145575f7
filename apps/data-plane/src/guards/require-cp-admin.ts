import { CONTROL_PLANE_AUDIENCE } from '@hellojohn/contracts';
import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import { TokenError, verifyAccessToken, type PublicJwk } from '@hellojohn/tokens';
import type { Response } from 'express';

/** CP admin tokens' audience and `tid` (as the control plane issues them). */
const CONTROL_PLANE_TID = 'control-plane';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/** The CP admin acting on a tenant (from the verified CP admin token). */
export interface AdminActor {
  adminId: string;
  role: 'owner' | 'viewer';
}

export function adminActorOf(res: Response): AdminActor {
  const actor = res.locals.cpAdmin as AdminActor | undefined;
  if (!actor) throw new Error('requireCpAdmin did not run before this handler');
  return actor;
}

/**
 * Guards tenant-admin routes with a CP admin token, verified locally against the control
 * plane's JWKS (issuer `HJ_CP_URL`, audience `hellojohn:control-plane`): the control plane is
 * not called per request. `owner` may write; `viewer` may only read. An end user's access token
 * fails the issuer and audience checks.
 *
 * @example
 * api.get('/v1/admin/users', requireCpAdmin('viewer'), adminUsers.list);
 */
export function makeRequireCpAdmin(options: {
  cpUrl: string;
  keys: (kid: string) => Promise<PublicJwk | undefined>;
}) {
  return function requireCpAdmin(role: AdminActor['role']): Guard {
    // 503 `service_unavailable` when the control plane's JWKS cannot be fetched.
    const errors = [
      'unauthenticated',
      'invalid_token',
      'service_unavailable',
      ...(role === 'owner' ? (['insufficient_role'] as const) : []),
    ] as const;
    return guard({ errors, auth: 'bearer' }, async function authenticateCpAdmin(req, res, next) {
      const token = bearerToken(req);
      let actor: AdminActor;
      try {
        const claims = await verifyAccessToken(token, {
          issuer: options.cpUrl,
          audience: CONTROL_PLANE_AUDIENCE,
          keys: options.keys,
        });
        const claimed = claims['role'];
        if (claims.tid !== CONTROL_PLANE_TID || (claimed !== 'owner' && claimed !== 'viewer')) {
          throw new TokenError('token_invalid', 'not_a_cp_admin_token');
        }
        actor = { adminId: claims.sub, role: claimed };
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        // The JWKS could not be fetched: a 503 from the key lookup, not a bad token.
        if (error.cause instanceof AppError) throw error.cause;
        throw new AppError('invalid_token', 'A control-plane admin token is required.', {
          cause: error,
          headers: CHALLENGE,
        });
      }
      if (role === 'owner' && actor.role !== 'owner') {
        throw new AppError('insufficient_role', 'This action needs the owner role.');
      }
      res.locals.cpAdmin = actor;
      next();
    });
  };
}
