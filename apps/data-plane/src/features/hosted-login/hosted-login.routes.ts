import {
  allowOnPage,
  AppError,
  endpoint,
  HtmlPage,
  Redirect,
  type Responder,
  type ReplyOf,
} from '@hellojohn/http';
import type { SessionRow } from '@hellojohn/dal';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import { redirectTarget } from './authorization-response';
import { clearCookie, cookieScope, readCookie, setCookie } from './browser-cookie';
import { isSameSite, type Csrf } from './csrf';
import type { BrowserSession, HostedLoginService, Interaction, Next } from './hosted-login.service';
import { TransactionGone } from './hosted-login.service';
import {
  AuthorizeParams,
  ConsentForm,
  LoginQuery,
  SignInForm,
  SignUpForm,
  TxQuery,
} from './hosted-login.schemas';
import { frameFor, pathsOf } from './page-context';
import { consentPage } from './pages/consent';
import { AUTO_SUBMIT_JS, formPostPage } from './pages/form-post';
import { noticePage } from './pages/notice';
import { signInPage } from './pages/sign-in';
import { originOf } from './redirect-uri';
import type { SignUpService } from './sign-up.service';
import { signUpPage } from './pages/sign-up';
import type { FieldError, PageFrame } from './pages/layout';
import { randomBytes } from 'node:crypto';

const TAGS = ['hosted login'];
const PAGE = { 200: HtmlPage, 303: Redirect } as const;
type Page = typeof PAGE;
type PageReply = ReplyOf<Page>;

/** Everything the routes share: the services and the CSRF key. */
export interface HostedLoginRouteDeps {
  service: HostedLoginService;
  signUp: SignUpService;
  csrf: Csrf;
}

/** The interaction cookie (CSRF binding), set when the browser has none yet. */
export function interactionOf(req: Request, res: Response, tenant: TenantContext): string {
  const scope = cookieScope(tenant.config);
  const current = readCookie(req, scope.interaction);
  if (current !== undefined) return current;
  const value = randomBytes(32).toString('base64url');
  setCookie(res, scope, scope.interaction, value);
  return value;
}

/** Sets the SSO cookie when the session is new or its handle rotated. */
function storeSession(res: Response, tenant: TenantContext, session: BrowserSession): void {
  if (session.newHandle === undefined) return;
  const scope = cookieScope(tenant.config);
  setCookie(res, scope, scope.session, session.newHandle, tenant.policy.refreshTokenTtlSeconds);
}

export function forbiddenPage(frame: PageFrame): AppError {
  const m = frame.messages;
  return new AppError('forbidden', 'The form is not valid.', {
    page: noticePage(frame, m.forbiddenTitle, m.forbiddenBody),
  });
}

function expiredPage(frame: PageFrame): AppError {
  const m = frame.messages;
  return new AppError('validation_failed', 'The sign-in request has expired.', {
    page: noticePage(frame, m.expiredTitle, m.expiredBody),
  });
}

/** Minutes to wait, rounded up, from a 429's Retry-After. */
function minutesOf(error: AppError): number {
  const seconds = Number(error.headers['Retry-After'] ?? 60);
  return Math.max(1, Math.ceil((Number.isFinite(seconds) ? seconds : 60) / 60));
}

export function hostedLoginRoutes(deps: HostedLoginRouteDeps) {
  const { service, csrf } = deps;

  async function currentSession(
    req: Request,
    tenant: TenantContext,
  ): Promise<SessionRow | undefined> {
    return service.browserSession(tenant, readCookie(req, cookieScope(tenant.config).session));
  }

  /** Answers a step's outcome: the next page (303) or the client's response (303 or form_post). */
  function answer(
    next: Next,
    req: Request,
    res: Response,
    tenant: TenantContext,
    respond: Responder<Page>,
    uiLocales: string | null,
  ): PageReply {
    const paths = pathsOf(tenant);
    switch (next.kind) {
      case 'login':
        return respond.redirect(`${paths.login}?tx=${next.handle}`, 303);
      case 'consent':
        return respond.redirect(`${paths.consent}?tx=${next.handle}`, 303);
      case 'respond': {
        const { response } = next;
        if (response.mode === 'query') return respond.redirect(redirectTarget(response), 303);
        const frame = frameFor(req, res, tenant, { uiLocales, redirectUri: response.redirectUri });
        allowOnPage(res, { inlineScripts: [AUTO_SUBMIT_JS] });
        return respond.reply(200, formPostPage(frame, response.redirectUri, response.params));
      }
    }
  }

  /** The transaction a page names, or the expired page. */
  async function interactionFor(req: Request, res: Response, tenant: TenantContext, tx: string) {
    const interaction = await service.interaction(tenant, tx);
    if (!interaction) throw expiredPage(frameFor(req, res, tenant));
    return interaction;
  }

  /** A form POST: same site and a CSRF token bound to the interaction cookie and `bound`. */
  function checkForm(
    req: Request,
    tenant: TenantContext,
    bound: string,
    token: string | undefined,
    frame: PageFrame,
  ) {
    const interaction = readCookie(req, cookieScope(tenant.config).interaction);
    if (!isSameSite(req, tenant.config.issuer) || !csrf.verify(interaction, bound, token)) {
      throw forbiddenPage(frame);
    }
  }

  /** Runs a step that may find its transaction completed meanwhile (double submit). */
  async function step<T>(frame: PageFrame, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof TransactionGone) throw expiredPage(frame);
      throw error;
    }
  }

  function signInView(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    extra: { email?: string; errors?: FieldError[]; credentialError?: boolean; notice?: string },
  ) {
    const frame = frameFor(req, res, tenant, {
      uiLocales: interaction.tx.request.ui_locales,
      redirectUri: interaction.tx.request.redirect_uri,
    });
    const paths = pathsOf(tenant);
    const page = signInPage(frame, {
      action: paths.login,
      tx: interaction.handle,
      csrf: csrf.token(interactionOf(req, res, tenant), interaction.handle),
      clientName: interaction.client.name,
      email: extra.email ?? interaction.tx.request.login_hint ?? '',
      signUpHref: tenant.policy.signUpEnabled
        ? `${paths.signUp}?tx=${interaction.handle}`
        : undefined,
      errors: extra.errors ?? [],
      credentialError: extra.credentialError ?? false,
      notice: extra.notice,
    });
    return { frame, page };
  }

  function signUpView(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    extra: { email?: string; name?: string; errors?: FieldError[] },
  ) {
    const frame = frameFor(req, res, tenant, {
      uiLocales: interaction.tx.request.ui_locales,
      redirectUri: interaction.tx.request.redirect_uri,
    });
    const paths = pathsOf(tenant);
    const page = signUpPage(frame, {
      action: paths.signUp,
      tx: interaction.handle,
      csrf: csrf.token(interactionOf(req, res, tenant), interaction.handle),
      email: extra.email ?? interaction.tx.request.login_hint ?? '',
      name: extra.name ?? '',
      minLength: tenant.policy.passwordMinLength,
      signInHref: `${paths.login}?tx=${interaction.handle}`,
      errors: extra.errors ?? [],
    });
    return { frame, page };
  }

  async function authorize(
    params: Record<string, unknown>,
    req: Request,
    res: Response,
    respond: Responder<Page>,
  ) {
    const tenant = tenantOf(res);
    interactionOf(req, res, tenant);
    const session = await currentSession(req, tenant);
    const next = await service.authorize(tenant, params, session);
    const uiLocales = typeof params['ui_locales'] === 'string' ? params['ui_locales'] : null;
    return answer(next, req, res, tenant, respond, uiLocales);
  }

  return {
    authorize: endpoint(
      {
        summary: 'OAuth 2.0 / OIDC authorization endpoint',
        description:
          'Authorization code flow with PKCE (docs/oidc.md). An unknown client or a missing or unregistered redirect_uri answers a 400 page; every other error, and success, redirects (303) to the redirect_uri with `iss` (RFC 9207), or answers a form_post page.',
        tags: TAGS,
        query: AuthorizeParams,
        responses: PAGE,
      },
      async function authorizeGet({ query, reply, redirect }, req, res) {
        return authorize(query, req, res, { reply, redirect });
      },
    ),
    authorizePost: endpoint(
      {
        summary: 'OAuth 2.0 / OIDC authorization endpoint (form POST)',
        description: 'The same as GET, with the parameters form-encoded (OIDC Core §3.1.2.1).',
        tags: TAGS,
        accepts: 'form',
        body: AuthorizeParams,
        responses: PAGE,
      },
      async function authorizePost({ body, reply, redirect }, req, res) {
        return authorize(body, req, res, { reply, redirect });
      },
    ),

    loginPage: endpoint(
      {
        summary: 'Sign-in page',
        tags: TAGS,
        query: LoginQuery,
        responses: PAGE,
      },
      async function loginPage({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await interactionFor(req, res, tenant, query.tx);
        const { frame, page } = signInView(req, res, tenant, interaction, {});
        const notice = query.notice === 'signed_up' ? frame.messages.signUpAccepted : undefined;
        if (notice === undefined) return reply(200, page);
        return reply(200, signInView(req, res, tenant, interaction, { notice }).page);
      },
    ),

    login: endpoint(
      {
        summary: 'Sign in (hosted login form)',
        description:
          'The rules of `POST /v1/auth/sign-in` (limits, lockout, one message for unknown email and wrong password). Success: 303 to consent or the client; failure: the form again with its error summary.',
        tags: TAGS,
        accepts: 'form',
        body: SignInForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: [
          'invalid_credentials',
          'email_not_verified',
          'forbidden',
          'account_locked',
          'rate_limited',
        ],
      },
      async function login({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await interactionFor(req, res, tenant, body.tx);
        const email = body.email?.trim() ?? '';
        const view = (extra: Parameters<typeof signInView>[4]) =>
          signInView(req, res, tenant, interaction, { email, ...extra });
        checkForm(req, tenant, interaction.handle, body.csrf, view({}).frame);
        const m = view({}).frame.messages;
        const missing: FieldError[] = [];
        if (email === '') missing.push({ field: 'email', message: m.enterEmail });
        if (!body.password) missing.push({ field: 'password', message: m.enterPassword });
        if (missing.length > 0) {
          throw new AppError('validation_failed', 'Enter your email and password.', {
            page: view({ errors: missing }).page,
          });
        }
        const current = await currentSession(req, tenant);
        let result;
        try {
          result = await service.signIn(
            tenant,
            { email, password: body.password ?? '', current },
            requestMetaOf(req),
          );
        } catch (error) {
          if (error instanceof AppError && error.status === 429) {
            const message = m.tooManyAttempts(minutesOf(error));
            throw new AppError(error.code, message, {
              headers: error.headers,
              page: view({ errors: [{ field: 'email', message }] }).page,
            });
          }
          throw error;
        }
        if (!result.ok) {
          if (result.reason === 'email_not_verified') {
            throw new AppError('email_not_verified', m.emailNotVerified, {
              page: view({ errors: [{ field: 'email', message: m.emailNotVerified }] }).page,
            });
          }
          const disabled = result.reason === 'user_disabled';
          const message = disabled ? m.disabled : m.badCredentials;
          throw new AppError('invalid_credentials', message, {
            page: view({ errors: [{ field: 'email', message }], credentialError: !disabled }).page,
          });
        }
        storeSession(res, tenant, result.session);
        const frame = view({}).frame;
        const next = await step(frame, () => service.next(tenant, interaction, result.session.row));
        return answer(
          next,
          req,
          res,
          tenant,
          { reply, redirect },
          interaction.tx.request.ui_locales,
        );
      },
    ),

    signUpPage: endpoint(
      {
        summary: 'Sign-up page',
        tags: TAGS,
        query: TxQuery,
        responses: PAGE,
        errors: ['sign_up_disabled'],
      },
      async function signUpPageGet({ query, reply }, req, res) {
        const tenant = tenantOf(res);
        if (!tenant.policy.signUpEnabled) throw new AppError('sign_up_disabled');
        const interaction = await interactionFor(req, res, tenant, query.tx);
        return reply(200, signUpView(req, res, tenant, interaction, {}).page);
      },
    ),

    signUp: endpoint(
      {
        summary: 'Create an account (hosted sign-up form)',
        description:
          'The rules of `POST /v1/auth/sign-up`. With enumeration protection a new and a taken email get the same answer (303 to the sign-in page with a neutral notice) and nobody is signed in.',
        tags: TAGS,
        accepts: 'form',
        body: SignUpForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: ['sign_up_disabled', 'email_taken', 'weak_password', 'forbidden', 'rate_limited'],
      },
      async function hostedSignUp({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        if (!tenant.policy.signUpEnabled) throw new AppError('sign_up_disabled');
        const interaction = await interactionFor(req, res, tenant, body.tx);
        const email = body.email?.trim() ?? '';
        const name = body.name?.trim() || undefined;
        const view = (errors: FieldError[]) =>
          signUpView(req, res, tenant, interaction, { email, name: name ?? '', errors });
        const { frame } = view([]);
        const m = frame.messages;
        checkForm(req, tenant, interaction.handle, body.csrf, frame);
        const missing: FieldError[] = [];
        if (!/^[^\s@]+@[^\s@]+$/.test(email))
          missing.push({ field: 'email', message: m.enterEmail });
        if (!body.password) missing.push({ field: 'password', message: m.enterPassword });
        if (missing.length > 0) {
          throw new AppError('validation_failed', 'Enter your email and a password.', {
            page: view(missing).page,
          });
        }
        let outcome;
        try {
          outcome = await deps.signUp.register(
            tenant,
            { email, password: body.password ?? '', name, locale: frame.locale },
            requestMetaOf(req),
          );
        } catch (error) {
          if (error instanceof AppError && error.code === 'weak_password') {
            const message = error.errors?.[0]?.message ?? error.message;
            throw new AppError('weak_password', message, {
              page: view([{ field: 'password', message }]).page,
            });
          }
          throw error;
        }
        if (outcome.kind === 'taken') {
          throw new AppError('email_taken', m.emailTaken, {
            page: view([{ field: 'email', message: m.emailTaken }]).page,
          });
        }
        if (outcome.kind === 'accepted') {
          return redirect(
            `${pathsOf(tenant).login}?tx=${interaction.handle}&notice=signed_up`,
            303,
          );
        }
        const current = await currentSession(req, tenant);
        const session = await service.startBrowserSession(
          tenant,
          outcome.userId,
          current,
          requestMetaOf(req),
        );
        storeSession(res, tenant, session);
        const next = await step(frame, () => service.next(tenant, interaction, session.row));
        return answer(
          next,
          req,
          res,
          tenant,
          { reply, redirect },
          interaction.tx.request.ui_locales,
        );
      },
    ),

    consentPage: endpoint(
      { summary: 'Consent page', tags: TAGS, query: TxQuery, responses: PAGE },
      async function consentPageGet({ query, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await interactionFor(req, res, tenant, query.tx);
        const session = await currentSession(req, tenant);
        const paths = pathsOf(tenant);
        if (!session || !service.loginSatisfied(interaction, session)) {
          return redirect(`${paths.login}?tx=${interaction.handle}`, 303);
        }
        const user = await tenant.db.users.findById(session.userId);
        const { client, tx } = interaction;
        const frame = frameFor(req, res, tenant, {
          uiLocales: tx.request.ui_locales,
          redirectUri: tx.request.redirect_uri,
        });
        const logo = client.logo_uri?.startsWith('https://') ? client.logo_uri : undefined;
        const logoOrigin = logo === undefined ? undefined : originOf(logo);
        if (logoOrigin !== undefined) allowOnPage(res, { images: [logoOrigin] });
        const token = csrf.token(interactionOf(req, res, tenant), interaction.handle);
        return reply(
          200,
          consentPage(frame, {
            action: paths.consent,
            notYouAction: paths.consent,
            tx: interaction.handle,
            csrf: token,
            clientName: client.name,
            clientLogo: logoOrigin === undefined ? undefined : logo,
            redirectHost: new URL(tx.request.redirect_uri).host,
            scopes: tx.request.scope.split(' ').filter((s) => s !== ''),
            email: user?.email ?? '',
          }),
        );
      },
    ),

    consent: endpoint(
      {
        summary: 'Answer the consent page',
        description:
          '`allow` remembers the consent and redirects with a code; `deny` redirects with `access_denied`; `switch` ("Not you?") signs out of this browser and restarts the sign-in.',
        tags: TAGS,
        accepts: 'form',
        body: ConsentForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: ['forbidden'],
      },
      async function consent({ body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await interactionFor(req, res, tenant, body.tx);
        const frame = frameFor(req, res, tenant, {
          uiLocales: interaction.tx.request.ui_locales,
          redirectUri: interaction.tx.request.redirect_uri,
        });
        checkForm(req, tenant, interaction.handle, body.csrf, frame);
        const session = await currentSession(req, tenant);
        const login = `${pathsOf(tenant).login}?tx=${interaction.handle}`;
        if (body.decision === 'switch') {
          if (session) await tenant.db.browserSessions.revoke(session.id, 'switch_account');
          const scope = cookieScope(tenant.config);
          clearCookie(res, scope, scope.session);
          return redirect(login, 303);
        }
        if (!session || !service.loginSatisfied(interaction, session)) return redirect(login, 303);
        const next = await step(frame, () =>
          service.consent(
            tenant,
            interaction,
            session,
            body.decision === 'allow',
            requestMetaOf(req),
          ),
        );
        return answer(
          next,
          req,
          res,
          tenant,
          { reply, redirect },
          interaction.tx.request.ui_locales,
        );
      },
    ),
  };
}
