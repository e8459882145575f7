import * as oidc from 'openid-client';
import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { expiresAt } from '../fresh-tokens';
import { html, page } from '../html';

/**
 * Where to go after signing in: a path on this app only. Anything else (`//evil.example`,
 * `https://...`, `/\evil`, or control characters, which browsers strip) falls back to `/`, so
 * `/login` is no open redirect.
 */
export function localPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  return value;
}

/**
 * `GET /login`: starts the authorization code flow. The PKCE verifier, `state` and `nonce` stay
 * in this browser's server-side session; only the challenge and the two random values travel.
 */
export function signInRoute(ctx: AppContext): RequestHandler {
  return async function signIn(req, res) {
    const returnTo = localPath(req.query.return_to);
    if (ctx.sessions.find(req)?.user) {
      res.redirect(303, returnTo);
      return;
    }
    const provider = await ctx.provider();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    ctx.sessions.findOrCreate(req, res).pending = { state, nonce, codeVerifier, returnTo };
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: ctx.redirectUri,
      scope: ctx.config.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.redirect(303, url.href);
  };
}

function failed(res: Response, status: number, message: string): void {
  res.status(status).send(
    page(
      'Sign-in failed',
      html`<p>${message}</p>
        <p><a href="/login">Try again</a></p>`,
    ),
  );
}

/**
 * `GET /callback`: HelloJohn sends the browser back here with `code`, `state` and `iss`.
 * openid-client checks `state` and `iss`, redeems the code with the PKCE verifier and the client
 * secret, and validates the ID token (signature, `iss`, `aud`, `exp`, `nonce`). The user then
 * gets a brand-new session.
 */
export function callbackRoute(ctx: AppContext): RequestHandler {
  return async function callback(req, res) {
    const session = ctx.sessions.find(req);
    const pending = session?.pending;
    if (!session || !pending) {
      failed(res, 400, 'This sign-in was not started here, or it has already been used.');
      return;
    }
    // One use: a replayed or second callback finds nothing to complete.
    delete session.pending;

    // Rebuilt on the registered redirect URI rather than on the Host header, which the client
    // controls; openid-client sends it, without the query, as `redirect_uri`.
    const currentUrl = new URL(ctx.redirectUri);
    currentUrl.search = new URL(req.originalUrl, ctx.redirectUri).search;

    const provider = await ctx.provider();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(provider, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        failed(
          res,
          400,
          error.error === 'access_denied'
            ? 'You did not allow this app to sign you in.'
            : `HelloJohn answered: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`,
        );
        return;
      }
      if (error instanceof oidc.ResponseBodyError || error instanceof oidc.ClientError) {
        // An expired or replayed code, or a response that did not verify: say so, log the rest.
        console.error('sign-in callback refused:', error);
        failed(res, 400, 'The sign-in could not be completed. Please sign in again.');
        return;
      }
      throw error;
    }

    const claims = tokens.claims();
    const idToken = tokens.id_token;
    if (!claims || !idToken) throw new Error('no ID token, although openid was requested');
    // The UserInfo endpoint answers for the access token; openid-client checks its `sub` is the
    // ID token's.
    const userInfo = await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub);
    const email = typeof userInfo.email === 'string' ? userInfo.email : undefined;
    ctx.sessions.regenerate(req, res, {
      user: {
        sub: claims.sub,
        displayName: userInfo.name ?? email ?? claims.sub,
        email,
        accessToken: tokens.access_token,
        accessTokenExpiresAt: expiresAt(tokens),
        refreshToken: tokens.refresh_token,
        idToken,
      },
    });
    res.redirect(303, pending.returnTo);
  };
}
