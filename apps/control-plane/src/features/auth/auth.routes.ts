import { AppError, endpoint } from '@hellojohn/http';
import type { RequestHandler, Response } from 'express';
import { setActor } from '../../guards/actor';
import type { AdminTokens } from './admin-tokens';
import { AdminToken, RefreshBody, SignInBody, SignOutBody } from './auth.schemas';
import type { AdminTokenPair, AuthService } from './auth.service';

const TAGS = ['auth'];

function tokenResponse(res: Response, pair: AdminTokenPair) {
  res.setHeader('Cache-Control', 'no-store');
  return {
    access_token: pair.token,
    token_type: 'Bearer' as const,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
  };
}

export function authRoutes(auth: AuthService, tokens: AdminTokens) {
  const jwks: RequestHandler = function controlPlaneJwks(_req, res) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(tokens.jwks());
  };
  return {
    signIn: endpoint(
      {
        summary: 'Sign in as a CP admin',
        description: 'Opens an admin session: a short-lived access token and a refresh token.',
        tags: TAGS,
        body: SignInBody,
        response: AdminToken,
        errors: ['invalid_credentials', 'rate_limited'],
      },
      async function signIn({ body }, req, res) {
        // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets counted.
        const ip = req.ip ?? 'unknown';
        return tokenResponse(res, await auth.signIn(body.email, body.password, ip));
      },
    ),
    refresh: endpoint(
      {
        summary: 'Exchange an admin refresh token for a new pair',
        description:
          'The refresh token is spent; presenting it again ends the session on both planes.',
        tags: TAGS,
        body: RefreshBody,
        response: AdminToken,
        errors: ['refresh_token_invalid', 'refresh_token_reused'],
      },
      async function refreshAdminSession({ body }, _req, res) {
        const refreshed = await auth.refresh(body.refresh_token);
        setActor(res, refreshed.actor);
        return tokenResponse(res, refreshed);
      },
    ),
    signOut: endpoint(
      {
        summary: 'End an admin session (bearer access token, or {refresh_token})',
        description:
          "The session's tokens stop working on the control plane at once and on the data plane within seconds.",
        tags: TAGS,
        body: SignOutBody,
        status: 204,
        errors: ['unauthenticated', 'invalid_token', 'refresh_token_invalid'],
      },
      async function signOutAdmin({ body }, req, res) {
        const refreshToken = body?.refresh_token;
        if (refreshToken !== undefined) {
          await auth.signOut({ refreshToken });
          return;
        }
        const header = req.headers.authorization;
        const match = header ? /^Bearer +(\S+)$/i.exec(header) : null;
        if (!match?.[1]) {
          throw new AppError('unauthenticated', 'Send a bearer access token or {"refresh_token"}.');
        }
        const actor = await auth.authenticate(match[1]);
        setActor(res, actor);
        if (actor.sessionId !== null) await auth.signOut({ sessionId: actor.sessionId });
      },
    ),
    /** The public keys of CP admin tokens, for the data plane (`/.well-known/jwks.json`). */
    jwks,
  };
}
