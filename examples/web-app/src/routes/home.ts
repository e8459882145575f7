import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { html, page } from '../html';
import { signOutForm } from './sign-out';

/** `GET /`: who is signed in, or a link to sign in. */
export function homeRoute(ctx: AppContext): RequestHandler {
  return function home(req, res) {
    const user = ctx.sessions.find(req)?.user;
    if (!user) {
      res.send(
        page(
          'Welcome',
          html`<p>You are not signed in.</p>
            <p><a href="/login">Sign in with HelloJohn</a></p>`,
        ),
      );
      return;
    }
    res.send(
      page(
        'Welcome',
        html`<p>Signed in as <strong>${user.displayName}</strong>.</p>
          <dl>
            <dt>Subject (<code>sub</code>)</dt>
            <dd><code>${user.sub}</code></dd>
            ${
              user.email
                ? html`<dt>Email</dt>
                    <dd>${user.email}</dd>`
                : undefined
            }
          </dl>
          <p><a href="/profile">Call the sample backend with your access token</a></p>
          ${signOutForm()}`,
      ),
    );
  };
}
