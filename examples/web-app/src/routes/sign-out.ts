import * as oidc from 'openid-client';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { html, page, type SafeHtml } from '../html';

/**
 * Signing out changes state, so it is a POST: a link or an image elsewhere cannot sign a user out
 * (and the SameSite=Lax session cookie is not sent on a cross-site POST).
 */
export function signOutForm(): SafeHtml {
  return html`<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
}

/** `GET /logout`: a page with the sign-out button, for links that point here. */
export function signOutPageRoute(): RequestHandler {
  return function signOutPage(_req, res) {
    res.send(
      page(
        'Sign out',
        html`<p>Sign out of this app and of HelloJohn?</p>
          ${signOutForm()}`,
      ),
    );
  };
}

/**
 * `POST /logout`: forgets the local session, then sends the browser to HelloJohn's
 * end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0) with the ID token as
 * `id_token_hint`, so HelloJohn ends its own session too and sends the browser back to
 * `post_logout_redirect_uri` (registered with the client).
 */
export function signOutRoute(ctx: AppContext): RequestHandler {
  return async function signOut(req, res) {
    // Defence in depth beside SameSite: a browser that says where the form came from must say here.
    const origin = req.get('origin');
    if (origin !== undefined && origin !== ctx.config.appUrl) {
      res.status(403).send(page('Sign out', html`<p>Cross-site sign-out refused.</p>`));
      return;
    }
    const user = ctx.sessions.find(req)?.user;
    ctx.sessions.destroy(req, res);
    const provider = user && (await ctx.provider());
    if (!user || !provider?.serverMetadata().end_session_endpoint) {
      res.redirect(303, '/');
      return;
    }
    const url = oidc.buildEndSessionUrl(provider, {
      id_token_hint: user.idToken,
      post_logout_redirect_uri: ctx.postLogoutRedirectUri,
    });
    res.redirect(303, url.href);
  };
}
