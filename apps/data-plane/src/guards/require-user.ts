import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import { TokenError, type AccessTokenClaims } from '@hellojohn/tokens';
import type { NextFunction, Request, Response } from 'express';
import type { Keyring } from '../keys/keyring';
import { tenantOf } from '../tenancy/tenant-context';
import { createLiveSessionCache } from './live-session-cache';
import { createVerifiedTokenCache } from './verified-token-cache';

/** Who is calling: the access token's subject and session. */
export interface Caller {
  userId: string;
  sessionId: string;
}

export function claimsOf(res: Response): AccessTokenClaims {
  const claims = res.locals.claims as AccessTokenClaims | undefined;
  if (!claims) throw new Error('requireUser did not run before this handler');
  return claims;
}

/** The signed-in caller, after `requireUser`. */
export function callerOf(res: Response): Caller {
  const claims = claimsOf(res);
  // requireUser only lets tokens with a live session through, so `sid` is present.
  return { userId: claims.sub, sessionId: claims.sid ?? '' };
}

/** The claims when `optionalUser` found a bearer token, else undefined. */
export function maybeClaimsOf(res: Response): AccessTokenClaims | undefined {
  return res.locals.claims as AccessTokenClaims | undefined;
}

/** What both guards answer: no bearer token (401 `unauthenticated`), or a bad one. */
const USER_ERRORS = ['unauthenticated', 'invalid_token'] as const;

function authenticateUserWith(keyring: Keyring) {
  const sessions = createLiveSessionCache();
  const tokens = createVerifiedTokenCache();
  return async function authenticateUser(req: Request, res: Response, next: NextFunction) {
    const tenant = tenantOf(res);
    const token = bearerToken(req);
    let claims: AccessTokenClaims | undefined;
    try {
      claims = await tokens.verify(keyring, tenant, token);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      throw new AppError('invalid_token', 'The access token is invalid or expired.', {
        cause: error,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (!claims?.sid) {
      throw new AppError('invalid_token', 'The access token is not for this tenant.');
    }
    if (!(await sessions.isLive(tenant.db, claims.sid, claims.sub))) {
      throw new AppError('invalid_token', 'The session has ended.', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    res.locals.claims = claims;
    next();
  };
}

/**
 * Verifies an end user's access token against the request's tenant: its keys, issuer and
 * audience, and its `tid`. The session must still be live, so a revoked session's tokens stop
 * working here at once on the replica that revoked it, within seconds on the others
 * (live-session-cache.ts), and elsewhere at expiry.
 */
export function requireUser(keyring: Keyring): Guard {
  return guard({ errors: USER_ERRORS, auth: 'bearer' }, authenticateUserWith(keyring));
}

/**
 * `requireUser` when an Authorization header is present; otherwise lets the request through
 * (documented as an optional bearer token: `security: [{bearer: []}, {}]`).
 */
export function optionalUser(keyring: Keyring): Guard {
  const authenticate = authenticateUserWith(keyring);
  return guard(
    { errors: USER_ERRORS, auth: 'optional-bearer' },
    function authenticateUserIfPresent(req, res, next) {
      if (req.headers.authorization === undefined) {
        next();
        return;
      }
      return authenticate(req, res, next);
    },
  );
}
