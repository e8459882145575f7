import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { closeServer, listen } from '@hellojohn/http';
import type { Express, Request, Response } from 'express';

// express is the http lib's dependency; the tests reach it through it, as bench/ does.
const express = createRequire(require.resolve('@hellojohn/http'))('express') as {
  (): Express;
  urlencoded(options: {
    extended: boolean;
  }): (req: Request, res: Response, next: () => void) => void;
};

export interface GitHubStandIn {
  url: string;
  close(): Promise<void>;
}

/**
 * A local stand-in that speaks GitHub's OAuth App shapes: `/login/oauth/authorize` (signs the
 * user `login` in at once and redirects back with `code` and `state`), `/login/oauth/access_token`
 * (client secret and PKCE S256 checked), `/user` and `/user/emails`.
 */
export async function startGitHubStandIn(options: {
  clientId: string;
  clientSecret: string;
  user: { id: number; login: string; name: string | null };
  emails: { email: string; primary: boolean; verified: boolean }[];
}): Promise<GitHubStandIn> {
  const app = express();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const tokens = new Set<string>();
  app.get('/login/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256') {
      res.status(400).send('bad request');
      return;
    }
    const code = randomBytes(16).toString('hex');
    codes.set(code, { challenge: q['code_challenge'] ?? '', redirectUri: q['redirect_uri'] ?? '' });
    const back = new URL(q['redirect_uri'] ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q['state'] ?? '');
    res.redirect(302, back.href);
  });
  app.post('/login/oauth/access_token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const issued = codes.get(body['code'] ?? '');
    codes.delete(body['code'] ?? '');
    const challenge = createHash('sha256')
      .update(body['code_verifier'] ?? '')
      .digest('base64url');
    if (
      !issued ||
      body['client_id'] !== options.clientId ||
      body['client_secret'] !== options.clientSecret ||
      issued.challenge !== challenge ||
      issued.redirectUri !== body['redirect_uri']
    ) {
      res.json({ error: 'bad_verification_code' });
      return;
    }
    const token = `gho_${randomBytes(16).toString('hex')}`;
    tokens.add(token);
    res.json({ access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
  });
  const authed = (req: Request, res: Response): boolean => {
    const token = (req.get('authorization') ?? '').replace(/^Bearer /, '');
    if (tokens.has(token) && req.get('user-agent')) return true;
    res.status(401).json({ message: 'Requires authentication' });
    return false;
  };
  app.get('/user', (req, res) => {
    if (authed(req, res)) res.json({ ...options.user, avatar_url: null });
  });
  app.get('/user/emails', (req, res) => {
    if (authed(req, res)) res.json(options.emails);
  });
  const { server, port }: { server: Server; port: number } = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
