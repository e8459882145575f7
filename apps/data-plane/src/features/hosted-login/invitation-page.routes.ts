import { AppError, endpoint } from '@hellojohn/http';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import type { InvitationService } from '../organizations';
import { cookieScope, readCookie } from './browser-cookie';
import { createHostedForms, expiredPage, PAGE, type HostedForms } from './hosted-form';
import type { Csrf } from './csrf';
import type { HostedLoginService } from './hosted-login.service';
import { HOSTED_RETURN_CLIENT_ID, returnTargetOf } from './hosted-return';
import { pathsOf } from './page-context';
import { invitationChoicePage, type InvitationChoice } from './pages/invitation';
import type { PageFrame } from './pages/layout';
import { confirmLinkPage, outcomePage } from './pages/mail-links';

const TAGS = ['hosted login'];

/** Loose like the other mailed links: a malformed token gets the "not valid" page, not a 400. */
const Token = z.string().max(512).describe('The `token` query parameter of the invitation mail.');
/** The link as opened: mail clients and trackers may add their own parameters. */
const InvitationQuery = z.object({
  token: Token.optional(),
  tx: z
    .string()
    .max(128)
    .optional()
    .describe('Set by the hosted sign-in when it returns here (instead of `token`).'),
});
const InvitationForm = z.strictObject({
  csrf: z.string().max(128).describe('Bound to the interaction cookie and the invitation.'),
  token: Token,
  intent: z
    .enum(['accept', 'sign_in', 'sign_up', 'switch'])
    .default('accept')
    .describe(
      '`accept` (default); `sign_in`, `sign_up` or `switch` (another account) start the hosted sign-in, which returns to this page.',
    ),
});

export interface InvitationPageDeps {
  invitations: Pick<InvitationService, 'peek' | 'acceptOutcome'>;
  service: Pick<HostedLoginService, 'browserSession' | 'interaction' | 'startReturn'>;
  csrf: Csrf;
  /**
   * Seals the invitation token inside the sign-in transaction it opens, so the database never
   * holds a usable token (only its SHA-256, as for the invitation itself).
   */
  sealKey: Buffer;
}

/**
 * The page the invitation mail links to (docs/organizations.md): GET shows the organization and
 * the role and spends nothing (mail scanners fetch links). With a signed-in browser it has the
 * Accept button; without one, "Sign in to accept" (and "Create an account") start the hosted
 * sign-in, which comes back here with `?tx=` (hosted-return.ts). The POST, with its CSRF token,
 * accepts for the browser's signed-in user, who must own the invited, verified address; anyone
 * else leaves the invitation unspent.
 */
export function invitationPageRoutes(deps: InvitationPageDeps) {
  const forms: HostedForms = createHostedForms(deps.csrf);
  const bindingOf = (token: string) => `invitation:${token}`;
  const aadOf = (tenant: TenantContext) => `tenant:${tenant.config.id}:invitation-return`;

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

  /**
   * The invitation token a returning sign-in carries: its transaction must be live, of the
   * return client and for this page; anything else is the expired page.
   */
  async function returnedToken(req: Request, res: Response, tenant: TenantContext, tx: string) {
    const interaction = await deps.service.interaction(tenant, tx);
    const request = interaction?.tx.request;
    if (
      interaction?.client.client_id !== HOSTED_RETURN_CLIENT_ID ||
      returnTargetOf(tenant, request?.redirect_uri ?? '') !== 'invitation' ||
      !request?.state
    ) {
      throw expiredPage(forms.view(req, res, tenant, { bound: 'invitation' }).frame);
    }
    try {
      return decryptSecret(deps.sealKey, request.state, aadOf(tenant)).toString('utf8');
    } catch {
      throw expiredPage(forms.view(req, res, tenant, { bound: 'invitation' }).frame);
    }
  }

  function view(req: Request, res: Response, tenant: TenantContext, token: string) {
    return forms.view(req, res, tenant, { bound: bindingOf(token) });
  }

  const sessionOf = (req: Request, tenant: TenantContext) =>
    deps.service.browserSession(tenant, readCookie(req, cookieScope(tenant.config).session));

  /** "Sign in to accept" (and "Create an account" when the tenant allows sign-up). */
  function signInChoices(
    tenant: TenantContext,
    frame: PageFrame,
    token: string,
    csrf: string,
    offer: { organization: string; role: string },
  ) {
    const m = frame.messages;
    const choices: InvitationChoice[] = [{ intent: 'sign_in', text: m.invitationSignInTitle }];
    if (tenant.policy.signUpEnabled) {
      choices.push({ intent: 'sign_up', text: m.invitationSignUp, secondary: true });
    }
    return invitationChoicePage(frame, {
      action: pathsOf(tenant).invitation,
      csrf,
      token,
      heading: m.invitationTitle(offer.organization),
      body: m.invitationBody(offer.organization, offer.role),
      note: m.invitationSignInNote,
      choices,
    });
  }

  return {
    invitationPage: endpoint(
      {
        summary: 'Invitation page (the mailed link)',
        description:
          'Shows the organization and the role offered; the invitation is spent only by the POST (mail scanners fetch links). Signed in: an Accept button. Signed out: "Sign in to accept" (and "Create an account" when sign-up is allowed), which run the hosted sign-in and come back here with `tx` instead of `token`. An unknown, expired, revoked or spent invitation answers a 400 page; a `tx` that is gone, the expired page.',
        tags: TAGS,
        query: InvitationQuery,
        responses: PAGE,
        errors: ['invalid_link_token', 'validation_failed'],
      },
      async function invitationPageGet({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        const token =
          query.tx === undefined
            ? (query.token ?? '')
            : await returnedToken(req, res, tenant, query.tx);
        const { frame, csrf } = view(req, res, tenant, token);
        const offer = await offerOf(tenant, token, frame);
        const m = frame.messages;
        if (!(await sessionOf(req, tenant))) {
          return reply(200, signInChoices(tenant, frame, token, csrf, offer));
        }
        return reply(
          200,
          confirmLinkPage(frame, {
            action: pathsOf(tenant).invitation,
            csrf,
            tx: undefined,
            token,
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
          'The rules of `POST /v1/invitations/accept` for the browser’s signed-in user. `intent` `sign_in`, `sign_up` or `switch` instead answers 303 to the hosted sign-in (or sign-up) page of a new transaction that returns to the invitation page. Without a browser session, accepting shows the sign-in choices. Another user, or an unverified address: a 403 page, and the invitation stays unspent.',
        tags: TAGS,
        accepts: 'form',
        body: InvitationForm,
        responses: PAGE,
        errors: ['forbidden', 'invalid_link_token', 'email_not_verified', 'rate_limited'],
      },
      async function invitationAcceptPost({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const { frame, csrf } = view(req, res, tenant, body.token);
        forms.check(req, tenant, bindingOf(body.token), body.csrf, frame);
        const m = frame.messages;
        const offer = await offerOf(tenant, body.token, frame);
        if (body.intent !== 'accept') {
          const signUp = body.intent === 'sign_up' && tenant.policy.signUpEnabled;
          const handle = await deps.service.startReturn(tenant, {
            target: 'invitation',
            state: encryptSecret(deps.sealKey, body.token, aadOf(tenant)),
            // Another account was signed in: ask for credentials even though a session exists.
            prompt: body.intent === 'switch' ? 'login' : undefined,
          });
          const paths = pathsOf(tenant);
          return redirect(`${signUp ? paths.signUp : paths.login}?tx=${handle}`, 303);
        }
        const session = await sessionOf(req, tenant);
        if (!session) return reply(200, signInChoices(tenant, frame, body.token, csrf, offer));
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
            const text = m.invitationOtherUserBody(user?.email ?? '');
            throw new AppError('forbidden', text, {
              page: invitationChoicePage(frame, {
                action: pathsOf(tenant).invitation,
                csrf,
                token: body.token,
                heading: m.invitationOtherUserTitle,
                body: text,
                note: m.invitationBody(offer.organization, offer.role),
                choices: [{ intent: 'switch', text: m.invitationSwitchAccount }],
              }),
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
