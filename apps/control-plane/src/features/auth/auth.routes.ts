import { endpoint } from '@hellojohn/http';
import type { RequestHandler } from 'express';
import type { AdminTokens } from './admin-tokens';
import { AdminToken, SignInBody } from './auth.schemas';
import type { AuthService } from './auth.service';

export function authRoutes(auth: AuthService, tokens: AdminTokens) {
  const jwks: RequestHandler = function controlPlaneJwks(_req, res) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(tokens.jwks());
  };
  return {
    signIn: endpoint(
      {
        summary: 'Sign in as a CP admin',
        tags: ['auth'],
        body: SignInBody,
        response: AdminToken,
        errors: ['invalid_credentials', 'rate_limited'],
      },
      async function signIn({ body }, req, res) {
        // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets counted.
        const ip = req.ip ?? 'unknown';
        const { token, expiresIn } = await auth.signIn(body.email, body.password, ip);
        res.setHeader('Cache-Control', 'no-store');
        return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
      },
    ),
    /** The public keys of CP admin tokens, for the data plane (`/.well-known/jwks.json`). */
    jwks,
  };
}
