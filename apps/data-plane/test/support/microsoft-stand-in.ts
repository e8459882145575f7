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

/** Who signs in next at the stand-in, and how the next ID token is spoiled (negative tests). */
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
const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signRs256(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

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
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  let user: MicrosoftUser | undefined;
  let base = '';
  const codes = new Map<
    string,
    { challenge: string; redirectUri: string; nonce: string; user: MicrosoftUser }
  >();

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
    res.json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
  });
  app.get('/:directory/oauth2/v2.0/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q['client_id'] !== options.clientId || q['code_challenge_method'] !== 'S256' || !user) {
      res.status(400).send('bad request');
      return;
    }
    const code = randomBytes(16).toString('hex');
    codes.set(code, {
      challenge: q['code_challenge'] ?? '',
      redirectUri: q['redirect_uri'] ?? '',
      nonce: q['nonce'] ?? '',
      user,
    });
    const back = new URL(q['redirect_uri'] ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q['state'] ?? '');
    res.redirect(302, back.href);
  });
  app.post('/:directory/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
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
      id_token: signRs256(privateKey, kid, claims),
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
