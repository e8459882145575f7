import { endpoint, HtmlPage, Redirect, type Responder, type ReplyOf } from '@hellojohn/http';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf } from '../../tenancy/tenant-context';
import { clearCookie, cookieScope, readCookie } from './browser-cookie';
import { isSameSite, type Csrf } from './csrf';
import type { EndSessionParams, EndSessionService } from './end-session.service';
import type { HostedLoginService } from './hosted-login.service';
import { forbiddenPage, interactionOf } from './hosted-form';
import { EndSessionForm, EndSessionQuery } from './hosted-login.schemas';
import { frameFor, pathsOf } from './page-context';
import { logoutPage, noticePage } from './pages/notice';

const TAGS = ['hosted login'];
const PAGE = { 200: HtmlPage, 303: Redirect } as const;
/** What the confirmation's CSRF token is bound to (there is no login transaction here). */
const BOUND = 'end-session';

/** RP-Initiated Logout 1.0: `GET|POST /t/{tenant}/oauth2/end-session`. */
export function endSessionRoutes(deps: {
  service: HostedLoginService;
  endSession: EndSessionService;
  csrf: Csrf;
}) {
  const { service, endSession, csrf } = deps;

  async function handle(
    params: EndSessionParams,
    confirmedByForm: boolean,
    req: Request,
    res: Response,
    respond: Responder<typeof PAGE>,
  ): Promise<ReplyOf<typeof PAGE>> {
    const tenant = tenantOf(res);
    const scope = cookieScope(tenant.config);
    const session = await service.browserSession(tenant, readCookie(req, scope.session));
    const request = await endSession.check(tenant, params, session);
    // The confirmation's POST ends in a 303 to the client, which CSP form-action must allow.
    const frame = frameFor(req, res, tenant, {
      uiLocales: params.ui_locales,
      redirectUri: request.redirectTo,
    });
    if (!request.confirmed && !confirmedByForm) {
      return respond.reply(
        200,
        logoutPage(frame, {
          action: pathsOf(tenant).endSession,
          csrf: csrf.token(interactionOf(req, res, tenant), BOUND),
          fields: request.carry,
        }),
      );
    }
    if (session) await endSession.logout(tenant, session, requestMetaOf(req));
    clearCookie(res, scope, scope.session);
    if (request.redirectTo !== undefined) return respond.redirect(request.redirectTo, 303);
    const m = frame.messages;
    return respond.reply(200, noticePage(frame, m.signedOutTitle, m.signedOutBody));
  }

  return {
    endSession: endpoint(
      {
        summary: 'RP-initiated logout',
        description:
          'Asks the user to confirm unless `id_token_hint` names the current browser session; then ends it and redirects (303) to a registered `post_logout_redirect_uri` with `state`, or shows the signed-out page. An unregistered `post_logout_redirect_uri` answers a 400 page.',
        tags: TAGS,
        query: EndSessionQuery,
        responses: PAGE,
      },
      async function endSessionGet({ query, reply, redirect }, req, res) {
        return handle(query, false, req, res, { reply, redirect });
      },
    ),
    endSessionPost: endpoint(
      {
        summary: 'RP-initiated logout (form POST, and the confirmation page)',
        description:
          'With `csrf` (the confirmation page posts it): logs out. Without: the same as GET.',
        tags: TAGS,
        accepts: 'form',
        body: EndSessionForm,
        responses: PAGE,
        errors: ['forbidden'],
      },
      async function endSessionPost({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const { csrf: token, ...params } = body;
        if (token !== undefined) {
          const interaction = readCookie(req, cookieScope(tenant.config).interaction);
          if (!isSameSite(req, tenant.config.issuer) || !csrf.verify(interaction, BOUND, token)) {
            throw forbiddenPage(frameFor(req, res, tenant, { uiLocales: params.ui_locales }));
          }
        }
        return handle(params, token !== undefined, req, res, { reply, redirect });
      },
    ),
  };
}
