import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { closeServer, listen } from '@hellojohn/http';
import type { Express, Request, Response } from 'express';

// express is the http lib's dependency; the tests reach it through it, as github-stand-in does.
const express = createRequire(require.resolve('@hellojohn/http'))('express') as {
  (): Express;
  urlencoded(options: {
    extended: boolean;
  }): (req: Request, res: Response, next: () => void) => void;
};

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

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signRs256(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
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
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  let user: GoogleUser | undefined;
  let base = '';
  const codes = new Map<
    string,
    { challenge: string; redirectUri: string; nonce: string; user: GoogleUser }
  >();

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
    res.json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
  });
  app.get('/o/oauth2/v2/auth', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256' || !user) {
      res.status(400).send('invalid_request');
      return;
    }
    const code = `4/${randomBytes(16).toString('hex')}`;
    codes.set(code, {
      challenge: q['code_challenge'] ?? '',
      redirectUri: q['redirect_uri'] ?? '',
      nonce: q['nonce'] ?? '',
      user,
    });
    const back = new URL(q['redirect_uri'] ?? '');
    back.searchParams.set('state', q['state'] ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('scope', 'email profile openid');
    res.redirect(302, back.href);
  });
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
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
      res.status(400).json({ error: 'invalid_grant', error_description: 'Bad Request' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    res.json({
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid https://www.googleapis.com/auth/userinfo.email',
      access_token: `ya29.${randomBytes(24).toString('base64url')}`,
      id_token: signRs256(privateKey, kid, {
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
  const { server, port }: { server: Server; port: number } = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    signInAs: (next) => {
      user = next;
    },
    close: () => closeServer(server),
  };
}
