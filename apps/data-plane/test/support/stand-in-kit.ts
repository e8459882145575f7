import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { closeServer, listen } from '@hellojohn/http';
import type { Express, Request, Response } from 'express';

/**
 * What the local stand-ins of upstream providers (GitHub, Google, Microsoft, Apple) share: the
 * authorization code book with its PKCE check, the redirect back, an RS256 ID-token signer with
 * its JWKS, and listening on a free loopback port.
 */

// express is the http lib's dependency; the tests reach it through it, as bench/ does.
export const express = createRequire(require.resolve('@hellojohn/http'))('express') as {
  (): Express;
  urlencoded(options: {
    extended: boolean;
  }): (req: Request, res: Response, next: () => void) => void;
};

/** What an authorization code was issued for. */
export interface IssuedCode<User> {
  challenge: string;
  redirectUri: string;
  nonce: string;
  user: User;
}

/** Single-use authorization codes bound to the PKCE challenge and redirect URI of their request. */
export class AuthorizationCodes<User> {
  private readonly codes = new Map<string, IssuedCode<User>>();

  /** A new code for the authorization request's query `q`, signing `user` in. */
  issue(q: Record<string, string>, user: User, code = randomBytes(16).toString('hex')): string {
    this.codes.set(code, {
      challenge: q['code_challenge'] ?? '',
      redirectUri: q['redirect_uri'] ?? '',
      nonce: q['nonce'] ?? '',
      user,
    });
    return code;
  }

  /**
   * Spends the token request's code (whatever the outcome, as providers do) and answers what it
   * was issued for when the PKCE verifier (S256) and the redirect URI match, undefined otherwise.
   */
  redeem(body: Record<string, string>): IssuedCode<User> | undefined {
    const issued = this.codes.get(body['code'] ?? '');
    this.codes.delete(body['code'] ?? '');
    const challenge = createHash('sha256')
      .update(body['code_verifier'] ?? '')
      .digest('base64url');
    if (!issued || issued.challenge !== challenge || issued.redirectUri !== body['redirect_uri']) {
      return undefined;
    }
    return issued;
  }
}

/** 302 to the client's redirect URI with `params` added to its query. */
export function redirectBack(res: Response, redirectUri: string, params: Record<string, string>) {
  const back = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) back.searchParams.set(name, value);
  res.redirect(302, back.href);
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A provider's RS256 signing key: its JWKS document and compact JWS of claims. */
export function rs256Signer(header: { typ?: 'JWT' } = { typ: 'JWT' }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  return {
    jwks: () => ({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }],
    }),
    sign: (claims: Record<string, unknown>): string => {
      const head = b64url(JSON.stringify({ alg: 'RS256', kid, ...header }));
      const input = `${head}.${b64url(JSON.stringify(claims))}`;
      return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
    },
  };
}

/** Listens on a free loopback port: the stand-in's base URL and how to stop it. */
export async function serveStandIn(
  app: Express,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { server, port }: { server: Server; port: number } = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
