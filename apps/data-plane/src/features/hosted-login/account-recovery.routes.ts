import { AppError, endpoint } from '@hellojohn/http';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import type { LinkPurpose } from '../../one-time-tokens/mail-tokens';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import type { AccountRecoveryService } from './account-recovery.service';
import {
  ForgotForm,
  ForgotQuery,
  MailedLinkForm,
  MailedLinkQuery,
  ResetForm,
} from './account-recovery.schemas';
import { clearCookie, cookieScope, readCookie } from './browser-cookie';
import {
  answerNext,
  createHostedForms,
  PAGE,
  stepOf,
  storeSession,
  type HostedForms,
} from './hosted-form';
import type { Csrf } from './csrf';
import type { HostedLoginService, Interaction } from './hosted-login.service';
import { mfaPageOf, setMfaCookie } from './mfa-cookie';
import { pathsOf } from './page-context';
import type { FieldError, PageFrame } from './pages/layout';
import { confirmLinkPage, forgotPage, outcomePage, resetPage } from './pages/mail-links';

const TAGS = ['hosted login'];
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface AccountRecoveryRouteDeps {
  recovery: AccountRecoveryService;
  service: HostedLoginService;
  csrf: Csrf;
}

/** What a mailed-link page knows of where the user came from. */
interface Origin {
  /** The live authorization transaction, if the page carried one. */
  interaction: Interaction | undefined;
  frame: PageFrame;
  csrf: string;
}

/**
 * The pages the mails link to (docs/hosted-login.md): forgot password, reset, verify email and
 * sign in with a link. A GET only shows a form (mail scanners prefetch links); the POST, with its
 * CSRF token, spends the link through the JSON flows' services.
 */
export function accountRecoveryRoutes(deps: AccountRecoveryRouteDeps) {
  const { recovery, service } = deps;
  const forms: HostedForms = createHostedForms(deps.csrf);

  /** The page's frame, CSRF token and transaction (dropped when gone: the page still works). */
  async function originOf(
    req: Request,
    res: Response,
    tenant: TenantContext,
    tx: string | undefined,
    bound: string,
  ): Promise<Origin> {
    const interaction = tx === undefined ? undefined : await service.interaction(tenant, tx);
    const request = interaction?.tx.request;
    const { frame, csrf } = forms.view(req, res, tenant, {
      uiLocales: request?.ui_locales,
      redirectUri: request?.redirect_uri,
      bound,
    });
    return { interaction, frame, csrf };
  }

  /** `origin` after checking the posted CSRF token (a refused post throws the forbidden page). */
  async function postedOrigin(
    req: Request,
    res: Response,
    tenant: TenantContext,
    form: { tx?: string | undefined; csrf: string },
    bound: string,
  ): Promise<Origin> {
    const origin = await originOf(req, res, tenant, form.tx, bound);
    forms.check(req, tenant, bound, form.csrf, origin.frame);
    return origin;
  }

  const signInLink = (tenant: TenantContext, origin: Origin) =>
    origin.interaction && {
      href: `${pathsOf(tenant).login}?tx=${origin.interaction.handle}`,
      text: origin.frame.messages.signInAgain,
    };

  /** The "link not valid" page (400); a reset link offers to mail a new one. */
  function invalidLink(tenant: TenantContext, origin: Origin, purpose: LinkPurpose): AppError {
    const m = origin.frame.messages;
    const tx = origin.interaction ? `?tx=${origin.interaction.handle}` : '';
    const link =
      purpose === 'password_reset'
        ? { href: `${pathsOf(tenant).forgot}${tx}`, text: m.askNewLink }
        : signInLink(tenant, origin);
    return new AppError('invalid_link_token', m.linkInvalidBody, {
      page: outcomePage(origin.frame, {
        heading: m.linkInvalidTitle,
        body: m.linkInvalidBody,
        link,
      }),
    });
  }

  const bindingOf = (purpose: LinkPurpose, token: string) => `${purpose}:${token}`;

  function resetForm(
    tenant: TenantContext,
    origin: Origin,
    token: string,
    email: string,
    errors: FieldError[],
  ) {
    return resetPage(origin.frame, {
      action: pathsOf(tenant).reset,
      csrf: origin.csrf,
      tx: origin.interaction?.handle,
      token,
      email,
      minLength: tenant.policy.passwordMinLength,
      errors,
    });
  }

  /** The confirm page of a verification or sign-in link, or the invalid page. */
  async function confirmPage(
    req: Request,
    res: Response,
    query: { token: string; tx?: string | undefined },
    purpose: 'verify_email' | 'magic_link',
  ) {
    const tenant = tenantOf(res);
    const origin = await originOf(req, res, tenant, query.tx, bindingOf(purpose, query.token));
    if (!(await recovery.peek(tenant, purpose, query.token))) {
      throw invalidLink(tenant, origin, purpose);
    }
    const m = origin.frame.messages;
    const verify = purpose === 'verify_email';
    const paths = pathsOf(tenant);
    return confirmLinkPage(origin.frame, {
      action: verify ? paths.verifyEmail : paths.magic,
      csrf: origin.csrf,
      tx: origin.interaction?.handle,
      token: query.token,
      heading: verify ? m.verifyTitle : m.magicTitle,
      body: verify ? m.verifyBody : m.magicBody,
      button: verify ? m.verifyButton : m.signIn,
    });
  }

  /** The spend of a link whose failure is the invalid page, whatever the flow's 4xx. */
  async function spendOr<T>(
    tenant: TenantContext,
    origin: Origin,
    purpose: LinkPurpose,
    spend: () => Promise<T>,
  ): Promise<T> {
    try {
      return await spend();
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_link_token') {
        throw invalidLink(tenant, origin, purpose);
      }
      throw error;
    }
  }

  return {
    forgotPage: endpoint(
      { summary: 'Forgot-password page', tags: TAGS, query: ForgotQuery, responses: PAGE },
      async function forgotPageGet({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        const origin = await originOf(req, res, tenant, query.tx, 'forgot');
        return reply(
          200,
          forgotPage(origin.frame, {
            action: pathsOf(tenant).forgot,
            csrf: origin.csrf,
            tx: origin.interaction?.handle,
            email: origin.interaction?.tx.request.login_hint ?? '',
            errors: [],
          }),
        );
      },
    ),

    forgot: endpoint(
      {
        summary: 'Mail a password reset link (hosted form)',
        description:
          'The rules of `POST /v1/auth/password/forgot`: the same page whether or not an account exists for the address (the lookup runs after the answer). The link carries `tx` when the form did.',
        tags: TAGS,
        accepts: 'form',
        body: ForgotForm,
        responses: PAGE,
        errors: ['forbidden', 'rate_limited'],
      },
      async function forgotPost({ body, reply }, req, res) {
        const tenant = tenantOf(res);
        const origin = await postedOrigin(req, res, tenant, body, 'forgot');
        const m = origin.frame.messages;
        const email = body.email?.trim() ?? '';
        if (!EMAIL.test(email)) {
          const errors = [{ field: 'email', message: m.enterEmail }];
          throw new AppError('validation_failed', m.enterEmail, {
            page: forgotPage(origin.frame, {
              action: pathsOf(tenant).forgot,
              csrf: origin.csrf,
              tx: origin.interaction?.handle,
              email,
              errors,
            }),
          });
        }
        recovery.forgot(
          tenant,
          email,
          origin.frame.locale,
          requestMetaOf(req),
          origin.interaction?.handle,
        );
        return reply(
          200,
          outcomePage(origin.frame, {
            heading: m.checkEmailTitle,
            body: m.forgotSent(email),
            link: signInLink(tenant, origin),
          }),
        );
      },
    ),

    resetPage: endpoint(
      {
        summary: 'Password reset page (the mailed link)',
        description:
          'Shows the new-password form; the link is not spent (mail scanners fetch links). An invalid, expired or spent link answers a 400 page with a link to ask for a new one.',
        tags: TAGS,
        query: MailedLinkQuery,
        responses: PAGE,
        errors: ['invalid_link_token'],
      },
      async function resetPageGet({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        const bound = bindingOf('password_reset', query.token);
        const origin = await originOf(req, res, tenant, query.tx, bound);
        const user = await recovery.peek(tenant, 'password_reset', query.token);
        if (!user) throw invalidLink(tenant, origin, 'password_reset');
        return reply(200, resetForm(tenant, origin, query.token, user.email, []));
      },
    ),

    reset: endpoint(
      {
        summary: 'Set a new password (hosted reset form)',
        description:
          'The rules of `POST /v1/auth/password/reset`: the link is spent, every session of the user ends (this browser is signed out too). A weak password shows the form again and leaves the link usable.',
        tags: TAGS,
        accepts: 'form',
        body: ResetForm,
        responses: PAGE,
        errors: ['forbidden', 'invalid_link_token', 'weak_password', 'rate_limited'],
      },
      async function resetPost({ body, reply }, req, res) {
        const tenant = tenantOf(res);
        const bound = bindingOf('password_reset', body.token);
        const origin = await postedOrigin(req, res, tenant, body, bound);
        const m = origin.frame.messages;
        const again = async (code: 'validation_failed' | 'weak_password', message: string) => {
          const user = await recovery.peek(tenant, 'password_reset', body.token);
          if (!user) return invalidLink(tenant, origin, 'password_reset');
          return new AppError(code, message, {
            page: resetForm(tenant, origin, body.token, user.email, [
              { field: 'password', message },
            ]),
          });
        };
        if (!body.password) throw await again('validation_failed', m.enterPassword);
        try {
          await spendOr(tenant, origin, 'password_reset', () =>
            recovery.reset(tenant, body.token, body.password ?? '', requestMetaOf(req)),
          );
        } catch (error) {
          if (error instanceof AppError && error.code === 'weak_password') {
            throw await again('weak_password', error.errors?.[0]?.message ?? error.message);
          }
          throw error;
        }
        // Every session ended, this browser's too: its cookie names a revoked session.
        const scope = cookieScope(tenant.config);
        clearCookie(res, scope, scope.session);
        return reply(
          200,
          outcomePage(origin.frame, {
            heading: m.resetDoneTitle,
            body: m.resetDoneBody,
            link: signInLink(tenant, origin),
          }),
        );
      },
    ),

    verifyEmailPage: endpoint(
      {
        summary: 'Email verification page (the mailed link)',
        description:
          'Shows a confirm button; the link is spent only by the POST (mail scanners fetch links).',
        tags: TAGS,
        query: MailedLinkQuery,
        responses: PAGE,
        errors: ['invalid_link_token'],
      },
      async function verifyEmailPageGet({ query, reply }, req, res) {
        return reply(200, await confirmPage(req, res, query, 'verify_email'));
      },
    ),

    verifyEmail: endpoint(
      {
        summary: 'Verify an email address (hosted confirm form)',
        description: 'The rules of `POST /v1/auth/email/verify`.',
        tags: TAGS,
        accepts: 'form',
        body: MailedLinkForm,
        responses: PAGE,
        errors: ['forbidden', 'invalid_link_token', 'rate_limited'],
      },
      async function verifyEmailPost({ body, reply }, req, res) {
        const tenant = tenantOf(res);
        const bound = bindingOf('verify_email', body.token);
        const origin = await postedOrigin(req, res, tenant, body, bound);
        await spendOr(tenant, origin, 'verify_email', () =>
          recovery.verify(tenant, body.token, requestMetaOf(req)),
        );
        const m = origin.frame.messages;
        return reply(
          200,
          outcomePage(origin.frame, {
            heading: m.verifiedTitle,
            body: m.closeWindow,
            link: signInLink(tenant, origin),
          }),
        );
      },
    ),

    magicPage: endpoint(
      {
        summary: 'Sign-in link page (the mailed link)',
        description:
          'Shows a Sign in button; the link is spent only by the POST (mail scanners fetch links).',
        tags: TAGS,
        query: MailedLinkQuery,
        responses: PAGE,
        errors: ['invalid_link_token'],
      },
      async function magicPageGet({ query, reply }, req, res) {
        return reply(200, await confirmPage(req, res, query, 'magic_link'));
      },
    ),

    magic: endpoint(
      {
        summary: 'Sign in with a mailed link (hosted confirm form)',
        description:
          'The rules of `POST /v1/auth/magic-link/verify`, with a browser session (the hosted sign-in cookie, `amr` `["otp"]`) instead of tokens. With a live `tx`, the authorization continues (consent or the client), or `303` to the second-factor page when the user has one; otherwise a signed-in page (or, when a second factor is needed, "Continue in the app").',
        tags: TAGS,
        accepts: 'form',
        body: MailedLinkForm,
        responses: PAGE,
        errors: ['forbidden', 'invalid_link_token', 'rate_limited'],
      },
      async function magicPost({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const bound = bindingOf('magic_link', body.token);
        const origin = await postedOrigin(req, res, tenant, body, bound);
        const current = await service.browserSession(
          tenant,
          readCookie(req, cookieScope(tenant.config).session),
        );
        const { interaction, frame } = origin;
        const done = await spendOr(tenant, origin, 'magic_link', () =>
          recovery.signInWithLink(tenant, body.token, current, requestMetaOf(req), interaction),
        );
        const m = frame.messages;
        if (done.kind === 'mfa') {
          // The second factor is asked on the transaction's pages; without one, in the app.
          if (!interaction) {
            return reply(
              200,
              outcomePage(frame, { heading: m.mfaNeedsAppTitle, body: m.mfaNeedsApp }),
            );
          }
          setMfaCookie(res, tenant, done.mfaToken);
          return redirect(mfaPageOf(tenant, interaction.handle, done.enrolment), 303);
        }
        const { session } = done;
        storeSession(res, tenant, session);
        if (interaction) {
          const next = await stepOf(frame, () => service.next(tenant, interaction, session.row));
          const respond = { reply, redirect };
          return answerNext(next, req, res, tenant, respond, interaction.tx.request.ui_locales);
        }
        return reply(200, outcomePage(frame, { heading: m.signedInTitle, body: m.signedInBody }));
      },
    ),
  };
}
