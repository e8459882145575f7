import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { freshUser } from '../fresh-tokens';
import { html, page } from '../html';
import { signOutForm } from './sign-out';

/** The answer, pretty-printed when it is JSON; shown as text either way (and escaped). */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * `GET /profile`: calls the sample backend's `/api/profile` with the user's access token, as any
 * API of yours would be called, and shows what it answered. An expired access token is refreshed
 * first; without a usable one the user signs in again and comes back here.
 */
export function profileRoute(ctx: AppContext): RequestHandler {
  return async function profile(req, res) {
    const session = ctx.sessions.find(req);
    const user = session?.user && (await freshUser(session, await ctx.provider()));
    if (!user) {
      res.redirect(303, '/login?return_to=%2Fprofile');
      return;
    }
    const endpoint = `${ctx.config.backendUrl}/api/profile`;
    let answer: Response;
    try {
      answer = await fetch(endpoint, {
        headers: { authorization: `Bearer ${user.accessToken}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      console.error(`sample backend at ${endpoint} unreachable:`, error);
      res
        .status(502)
        .send(
          page(
            'Profile',
            html`<p>The sample backend at <code>${endpoint}</code> could not be reached.</p>`,
          ),
        );
      return;
    }
    const body = readable(await answer.text());
    res.send(
      page(
        'Profile',
        html`<p>
            <code>GET ${endpoint}</code> with
            <code>Authorization: Bearer &lt;access token&gt;</code> answered
            <strong id="status">${answer.status}</strong>:
          </p>
          <pre id="answer">${body}</pre>
          <p><a href="/">Home</a></p>
          ${signOutForm()}`,
      ),
    );
  };
}
