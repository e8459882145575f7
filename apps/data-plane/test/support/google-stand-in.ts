import { randomBytes } from 'node:crypto';
import {
  AuthorizationCodes,
  express,
  redirectBack,
  rs256Signer,
  serveStandIn,
} from './stand-in-kit';

export interface GoogleUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  picture: string;
}

export interface GoogleStandIn {
  url: string;
  /** The user the next authorization signs in at once. */
  signInAs(user: GoogleUser): void;
  close(): Promise<void>;
}

/**
 * A local stand-in that speaks Google's OpenID Connect shapes: discovery (issuer = its URL, as
 * `https://accounts.google.com` is Google's), `/o/oauth2/v2/auth` (signs the chosen user in at
 * once, redirects back with `code` and `state`), `/token` (client secret, redirect URI and PKCE
 * S256 checked; an RS256 ID token with `email`, boolean `email_verified`, `name`, `picture`,
 * `nonce`, `azp`) and `/oauth2/v3/certs`.
 */
export async function startGoogleStandIn(options: {
  clientId: string;
  clientSecret: string;
}): Promise<GoogleStandIn> {
  const app = express();
  const signer = rs256Signer();
  let user: GoogleUser | undefined;
  let base = '';
  const codes = new AuthorizationCodes<GoogleUser>();

  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: base,
      authorization_endpoint: `${base}/o/oauth2/v2/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/v1/userinfo`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      response_types_supported: ['code', 'token', 'id_token', 'code id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['plain', 'S256'],
    });
  });
  app.get('/oauth2/v3/certs', (_req, res) => {
    res.json(signer.jwks());
  });
  app.get('/o/oauth2/v2/auth', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256' || !user) {
      res.status(400).send('invalid_request');
      return;
    }
    const code = codes.issue(q, user, `4/${randomBytes(16).toString('hex')}`);
    redirectBack(res, q['redirect_uri'] ?? '', {
      state: q['state'] ?? '',
      code,
      scope: 'email profile openid',
    });
  });
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const issued = codes.redeem(body);
    if (
      !issued ||
      body['client_id'] !== options.clientId ||
      body['client_secret'] !== options.clientSecret
    ) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'Bad Request' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    res.json({
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid https://www.googleapis.com/auth/userinfo.email',
      access_token: `ya29.${randomBytes(24).toString('base64url')}`,
      id_token: signer.sign({
        iss: base,
        azp: options.clientId,
        aud: options.clientId,
        ...issued.user,
        nonce: issued.nonce,
        iat: now,
        exp: now + 3600,
      }),
    });
  });
  const served = await serveStandIn(app);
  base = served.url;
  return {
    url: base,
    signInAs: (next) => {
      user = next;
    },
    close: served.close,
  };
}
