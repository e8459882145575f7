import './express-request';
import type { Request, RequestHandler, Response } from 'express';
import { InvalidTokenError } from './invalid-token-error';
import { scopesOf } from './token-claims';
import type { AuthInfo } from './token-claims';
import { createTokenVerifier } from './token-verifier';
import type { TokenVerifierOptions } from './token-verifier';
import { bearerChallenge } from './www-authenticate';

export type RequireAuthOptions = TokenVerifierOptions;

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. The scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** `undefined` when no bearer credentials were sent; `null` when they were sent malformed. */
function bearerTokenOf(req: Request): string | null | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !/^Bearer(?: |$)/i.test(header)) return undefined;
  return BEARER.exec(header.trim())?.[1] ?? null;
}

function refuse(res: Response, error?: InvalidTokenError): void {
  res.setHeader('WWW-Authenticate', bearerChallenge(error));
  res.setHeader('Cache-Control', 'no-store');
  if (error) {
    res.status(error.status).json({ error: error.code, error_description: error.description });
  } else {
    res.status(401).json({
      error: 'unauthenticated',
      error_description: 'A bearer access token is required',
    });
  }
}

/**
 * Express middleware that admits a request only with a valid HelloJohn access token, verified
 * locally (no call to HelloJohn beyond the cached JWKS). On success `req.auth` holds
 * `{ sub, tid, sid, scope, claims }`; otherwise it answers 401 (403 for a missing scope) with an
 * RFC 6750 `WWW-Authenticate` challenge and `{ error, error_description }`.
 *
 * @example
 * ```ts
 * app.get('/api/profile', requireAuth({ tenantUrl, audience: tenantUrl }), (req, res) => {
 *   res.json({ user: authOf(req).sub });
 * });
 * ```
 */
export function requireAuth(options: RequireAuthOptions): RequestHandler {
  const verifier = createTokenVerifier(options);
  return async function verifyBearerToken(req, res, next) {
    const token = bearerTokenOf(req);
    if (token === undefined) {
      refuse(res);
      return;
    }
    if (token === null) {
      refuse(res, new InvalidTokenError('invalid_token', 'The Authorization header is malformed'));
      return;
    }
    try {
      const claims = await verifier.verify(token);
      req.auth = {
        sub: claims.sub,
        tid: claims.tid,
        sid: claims.sid,
        scope: scopesOf(claims),
        claims,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        refuse(res, error);
        return;
      }
      // The JWKS could not be fetched: our failure, for the app's error handler (a 5xx).
      next(error);
      return;
    }
    next();
  };
}

/**
 * The verified identity of a request that passed `requireAuth`. Throws if it did not, which is a
 * wiring mistake rather than a client error.
 *
 * @example
 * ```ts
 * const { sub, tid } = authOf(req);
 * ```
 */
export function authOf(req: Request): AuthInfo {
  if (!req.auth) throw new Error('requireAuth did not run before this handler');
  return req.auth;
}
