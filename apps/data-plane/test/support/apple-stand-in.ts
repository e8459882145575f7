import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { AuthorizationCodes, express, rs256Signer, serveStandIn } from './stand-in-kit';

export interface AppleUser {
  sub: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface AppleStandIn {
  url: string;
  /** The user the next authorization signs in at once. */
  signInAs(user: AppleUser): void;
  /** Client secrets the token endpoint refused (why), for assertions. */
  refusals: string[];
  close(): Promise<void>;
}

const json = (part: string | undefined) =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * A local stand-in that speaks Sign in with Apple's shapes: discovery, `/auth/authorize` (with
 * `response_mode=form_post` it answers an HTML form that POSTs `code`, `state` and, on a user's
 * first authorization only, `user` (JSON with the name) to the redirect URI), `/auth/token` (the
 * client secret must be an ES256 JWT signed with the developer key: `kid` = key id, `iss` = team
 * id, `sub` = the Services ID, `aud` = the issuer, not expired; PKCE S256 checked) answering an
 * RS256 ID token with `email` and `email_verified: "true"` (a string, as Apple sends it), and
 * `/auth/keys`.
 */
export async function startAppleStandIn(options: {
  clientId: string;
  teamId: string;
  keyId: string;
  /** The public half of the developer's .p8 key. */
  developerKey: KeyObject;
}): Promise<AppleStandIn> {
  const app = express();
  // Apple's ID-token header names no `typ`.
  const signer = rs256Signer({});
  const seen = new Set<string>();
  const refusals: string[] = [];
  let user: AppleUser | undefined;
  let base = '';
  const codes = new AuthorizationCodes<AppleUser>();

  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: base,
      authorization_endpoint: `${base}/auth/authorize`,
      token_endpoint: `${base}/auth/token`,
      jwks_uri: `${base}/auth/keys`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'name'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });
  app.get('/auth/keys', (_req, res) => {
    res.json(signer.jwks());
  });
  app.get('/auth/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['response_mode'] !== 'form_post' || !user) {
      res.status(400).send('invalid_request');
      return;
    }
    const code = codes.issue(q, user);
    const fields: Record<string, string> = { code, state: q['state'] ?? '' };
    // The name comes once, on the user's first authorization of this client.
    if (!seen.has(user.sub)) {
      seen.add(user.sub);
      fields['user'] = JSON.stringify({
        name: { firstName: user.firstName, lastName: user.lastName },
        email: user.email,
      });
    }
    const escape = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`)
      .join('');
    res
      .type('html')
      .send(
        `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escape(q['redirect_uri'] ?? '')}">${inputs}</form></body></html>`,
      );
  });
  app.post('/auth/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const secretProblem = checkClientSecret(body['client_secret'] ?? '');
    const issued = codes.redeem(body);
    if (secretProblem) {
      refusals.push(secretProblem);
      res.status(400).json({ error: 'invalid_client' });
      return;
    }
    if (!issued || body['client_id'] !== options.clientId) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    res.json({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: randomBytes(24).toString('base64url'),
      refresh_token: randomBytes(24).toString('base64url'),
      id_token: signer.sign({
        iss: base,
        aud: options.clientId,
        sub: issued.user.sub,
        email: issued.user.email,
        email_verified: 'true',
        is_private_email: 'false',
        nonce: issued.nonce,
        nonce_supported: true,
        auth_time: now,
        iat: now,
        exp: now + 600,
      }),
    });
  });

  /** Why a client secret is not a valid ES256 JWT of this developer, or undefined when it is. */
  function checkClientSecret(secret: string): string | undefined {
    const [h, p, s] = secret.split('.');
    try {
      const header = json(h);
      const claims = json(p);
      const signed = verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: options.developerKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s ?? '', 'base64url'),
      );
      if (!signed) return 'signature';
      if (header['alg'] !== 'ES256' || header['kid'] !== options.keyId) return 'header';
      if (claims['iss'] !== options.teamId || claims['sub'] !== options.clientId) return 'iss/sub';
      if (claims['aud'] !== base) return 'aud';
      if (typeof claims['exp'] !== 'number' || claims['exp'] <= Date.now() / 1000) return 'exp';
      return undefined;
    } catch {
      return 'malformed';
    }
  }

  const served = await serveStandIn(app);
  base = served.url;
  return {
    url: base,
    signInAs: (next) => {
      user = next;
    },
    refusals,
    close: served.close,
  };
}
