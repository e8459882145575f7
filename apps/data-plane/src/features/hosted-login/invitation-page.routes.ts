import { AppError, endpoint } from '@hellojohn/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import type { InvitationService } from '../organizations';
import { cookieScope, readCookie } from './browser-cookie';
import { createHostedForms, PAGE, type HostedForms } from './hosted-form';
import type { Csrf } from './csrf';
import type { HostedLoginService } from './hosted-login.service';
import { pathsOf } from './page-context';
import type { PageFrame } from './pages/layout';
import { confirmLinkPage, outcomePage } from './pages/mail-links';

const TAGS = ['hosted login'];

/** Loose like the other mailed links: a malformed token gets the "not valid" page, not a 400. */
const Token = z.string().max(512).describe('The `token` query parameter of the invitation mail.');
/** The link as opened: mail clients and trackers may add their own parameters. */
const InvitationQuery = z.object({ token: Token });
const InvitationForm = z.strictObject({
  csrf: z.string().max(128).describe('Bound to the interaction cookie and the invitation.'),
  token: Token,
});

export interface InvitationPageDeps {
  invitations: Pick<InvitationService, 'peek' | 'acceptOutcome'>;
  service: Pick<HostedLoginService, 'browserSession'>;
  csrf: Csrf;
}

/**
 * The page the invitation mail links to (docs/organizations.md): GET shows the organization and
 * the role with an Accept button and spends nothing (mail scanners fetch links); the POST, with
 * its CSRF token, accepts for the browser's signed-in user, who must own the invited, verified
 * address. Anyone else leaves the invitation unspent.
 */
export function invitationPageRoutes(deps: InvitationPageDeps) {
  const forms: HostedForms = createHostedForms(deps.csrf);
  const bindingOf = (token: string) => `invitation:${token}`;

  function invalid(frame: PageFrame): AppError {
    const m = frame.messages;
    return new AppError('invalid_link_token', m.invitationInvalidBody, {
      page: outcomePage(frame, {
        heading: m.invitationInvalidTitle,
        body: m.invitationInvalidBody,
      }),
    });
  }

  /** The invitation's offer, or the "not valid" page. */
  async function offerOf(tenant: TenantContext, token: string, frame: PageFrame) {
    const offer = await deps.invitations.peek(tenant, token);
    if (!offer) throw invalid(frame);
    return offer;
  }

  function view(req: Request, res: Response, tenant: TenantContext, token: string) {
    return forms.view(req, res, tenant, { bound: bindingOf(token) });
  }

  return {
    invitationPage: endpoint(
      {
        summary: 'Invitation page (the mailed link)',
        description:
          'Shows the organization, the role offered and an Accept button; the invitation is spent only by the POST (mail scanners fetch links). An unknown, expired, revoked or spent invitation answers a 400 page.',
        tags: TAGS,
        query: InvitationQuery,
        responses: PAGE,
        errors: ['invalid_link_token'],
      },
      async function invitationPageGet({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        const { frame, csrf } = view(req, res, tenant, query.token);
        const offer = await offerOf(tenant, query.token, frame);
        const m = frame.messages;
        return reply(
          200,
          confirmLinkPage(frame, {
            action: pathsOf(tenant).invitation,
            csrf,
            tx: undefined,
            token: query.token,
            heading: m.invitationTitle(offer.organization),
            body: m.invitationBody(offer.organization, offer.role),
            button: m.invitationAccept,
          }),
        );
      },
    ),

    acceptInvitation: endpoint(
      {
        summary: 'Accept an invitation (hosted invitation form)',
        description:
          'The rules of `POST /v1/invitations/accept` for the browser’s signed-in user. Without a browser session: a page asking to sign in with the invited address first. Another user, or an unverified address: a 403 page, and the invitation stays unspent.',
        tags: TAGS,
        accepts: 'form',
        body: InvitationForm,
        responses: PAGE,
        errors: ['forbidden', 'invalid_link_token', 'email_not_verified', 'rate_limited'],
      },
      async function invitationAcceptPost({ body, reply }, req, res) {
        const tenant = tenantOf(res);
        const { frame } = view(req, res, tenant, body.token);
        forms.check(req, tenant, bindingOf(body.token), body.csrf, frame);
        const m = frame.messages;
        const offer = await offerOf(tenant, body.token, frame);
        const session = await deps.service.browserSession(
          tenant,
          readCookie(req, cookieScope(tenant.config).session),
        );
        if (!session) {
          return reply(
            200,
            outcomePage(frame, { heading: m.invitationSignInTitle, body: m.invitationSignInBody }),
          );
        }
        const outcome = await deps.invitations.acceptOutcome(
          tenant,
          session.userId,
          body.token,
          requestMetaOf(req),
        );
        switch (outcome.kind) {
          case 'accepted':
            return reply(
              200,
              outcomePage(frame, {
                heading: m.invitationAcceptedTitle(outcome.organization.name),
                body: m.closeWindow,
              }),
            );
          case 'already_member':
            return reply(
              200,
              outcomePage(frame, {
                heading: m.invitationTitle(offer.organization),
                body: m.invitationAlreadyMember(offer.organization),
              }),
            );
          case 'other_user': {
            const user = await tenant.db.users.findById(session.userId);
            const body = m.invitationOtherUserBody(user?.email ?? '');
            throw new AppError('forbidden', body, {
              page: outcomePage(frame, { heading: m.invitationOtherUserTitle, body }),
            });
          }
          case 'email_not_verified':
            throw new AppError('email_not_verified', m.invitationUnverifiedBody, {
              page: outcomePage(frame, {
                heading: m.invitationTitle(offer.organization),
                body: m.invitationUnverifiedBody,
              }),
            });
          case 'not_pending':
            throw invalid(frame);
        }
      },
    ),
  };
}
