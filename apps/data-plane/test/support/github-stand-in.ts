import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { AuthorizationCodes, express, redirectBack, serveStandIn } from './stand-in-kit';

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
  const codes = new AuthorizationCodes<null>();
  const tokens = new Set<string>();
  app.get('/login/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256') {
      res.status(400).send('bad request');
      return;
    }
    const code = codes.issue(q, null);
    redirectBack(res, q['redirect_uri'] ?? '', { code, state: q['state'] ?? '' });
  });
  app.post('/login/oauth/access_token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const issued = codes.redeem(body);
    if (
      !issued ||
      body['client_id'] !== options.clientId ||
      body['client_secret'] !== options.clientSecret
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
  return serveStandIn(app);
}
