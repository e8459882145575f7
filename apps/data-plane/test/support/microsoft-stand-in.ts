import { randomBytes } from 'node:crypto';
import {
  AuthorizationCodes,
  express,
  redirectBack,
  rs256Signer,
  serveStandIn,
} from './stand-in-kit';

export interface MicrosoftUser {
  oid: string;
  tid: string;
  email: string;
  name: string;
  /** Sign the token as this directory's issuer instead of `tid`'s. */
  issuerTid?: string;
  /** Leave the `tid` claim out. */
  noTid?: boolean;
}

export interface MicrosoftStandIn {
  url: string;
  /** The user the next authorization signs in at once. */
  signInAs(user: MicrosoftUser): void;
  close(): Promise<void>;
}

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
/**
 * A local stand-in that speaks Microsoft identity platform v2.0 shapes under
 * `/{directory}/v2.0`: discovery (issuer `.../{tenantid}/v2.0` for `common`, `organizations` and
 * `consumers`, the directory's own otherwise), `/{directory}/oauth2/v2.0/authorize` (signs the
 * chosen user in at once, redirects back with `code` and `state`), `/{directory}/oauth2/v2.0/token`
 * (client secret, redirect URI and PKCE S256 checked; an RS256 ID token with `tid`, `oid` as
 * `sub`, `email` and `nonce`) and `/discovery/v2.0/keys`.
 */
export async function startMicrosoftStandIn(options: {
  clientId: string;
  clientSecret: string;
}): Promise<MicrosoftStandIn> {
  const app = express();
  const signer = rs256Signer();
  let user: MicrosoftUser | undefined;
  let base = '';
  const codes = new AuthorizationCodes<MicrosoftUser>();

  app.get('/:directory/v2.0/.well-known/openid-configuration', (req, res) => {
    const directory = req.params['directory'];
    res.json({
      issuer: `${base}/${MULTI_TENANT.has(directory) ? '{tenantid}' : directory}/v2.0`,
      authorization_endpoint: `${base}/${directory}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/${directory}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
  });
  app.get('/discovery/v2.0/keys', (_req, res) => {
    res.json(signer.jwks());
  });
  app.get('/:directory/oauth2/v2.0/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256' || !user) {
      res.status(400).send('bad request');
      return;
    }
    const code = codes.issue(q, user);
    redirectBack(res, q['redirect_uri'] ?? '', { code, state: q['state'] ?? '' });
  });
  app.post('/:directory/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const issued = codes.redeem(body);
    if (
      !issued ||
      body['client_id'] !== options.clientId ||
      body['client_secret'] !== options.clientSecret
    ) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const who = issued.user;
    const claims: Record<string, unknown> = {
      iss: `${base}/${who.issuerTid ?? who.tid}/v2.0`,
      aud: options.clientId,
      sub: who.oid,
      oid: who.oid,
      email: who.email,
      name: who.name,
      preferred_username: who.email,
      nonce: issued.nonce,
      iat: now,
      nbf: now,
      exp: now + 3600,
      ver: '2.0',
    };
    if (!who.noTid) claims['tid'] = who.tid;
    res.json({
      token_type: 'Bearer',
      scope: 'openid profile email',
      expires_in: 3600,
      access_token: randomBytes(24).toString('base64url'),
      id_token: signer.sign(claims),
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
