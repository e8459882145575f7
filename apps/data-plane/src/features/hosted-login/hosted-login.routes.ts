import {
  allowOnPage,
  AppError,
  endpoint,
  HtmlPage,
  Redirect,
  type Responder,
} from '@hellojohn/http';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import { clearCookie, cookieScope } from './browser-cookie';
import type { Csrf } from './csrf';
import type {
  ExternalSignIn,
  FederatedButtonSource,
  FederatedProviderButton,
} from './external-sign-in';
import {
  answerNext,
  createHostedForms,
  interactionOf,
  PAGE,
  type Page,
  stepOf,
  storeSession,
} from './hosted-form';
import type { HostedLoginService, Interaction } from './hosted-login.service';
import {
  AuthorizeParams,
  ConsentForm,
  LoginQuery,
  SignInForm,
  SignUpForm,
  TxQuery,
} from './hosted-login.schemas';
import { mfaPageOf, setMfaCookie } from './mfa-cookie';
import { pathsOf } from './page-context';
import { consentPage } from './pages/consent';
import { outcomePage } from './pages/mail-links';
import { signInPage } from './pages/sign-in';
import { originOf } from './redirect-uri';
import type { SignUpService } from './sign-up.service';
import { signUpPage } from './pages/sign-up';
import type { FieldError } from './pages/layout';
import { passkeyScripts } from './passkey-assets';
import { shouldOfferPasskey } from './passkey-offer';
import { createTxPages, minutesOf } from './tx-pages';
import { passkeyOfferOf, passkeySignIn, passkeySignInError } from './passkey-views';
import { markSessionRevoked } from '../../tenancy/session-revocation-marks';

const TAGS = ['hosted login'];

/** Everything the routes share: the services and the CSRF key. */
export interface HostedLoginRouteDeps {
  service: HostedLoginService;
  signUp: SignUpService;
  csrf: Csrf;
  /** Upstream identity providers' buttons on the sign-in page (features/federation). */
  external?: { signIn: ExternalSignIn; buttons: FederatedButtonSource | undefined };
}

export function hostedLoginRoutes(deps: HostedLoginRouteDeps) {
  const { service, csrf } = deps;
  const forms = createHostedForms(csrf);
  const pages = createTxPages(service, forms);
  const { session: currentSession, interaction: interactionFor, form: txForm } = pages;

  /** The tenant's enabled providers; none when federation is not wired (or the list is down). */
  async function providersOf(tenant: TenantContext): Promise<FederatedProviderButton[]> {
    const source = deps.external?.buttons;
    return source === undefined ? [] : source(tenant);
  }

  function signInView(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    extra: {
      email?: string;
      errors?: FieldError[];
      credentialError?: boolean;
      notice?: string;
      providers?: readonly FederatedProviderButton[];
    },
  ) {
    const { frame, csrf: token } = txForm(req, res, tenant, interaction);
    const paths = pathsOf(tenant);
    const providers = extra.providers ?? [];
    const page = signInPage(frame, {
      action: paths.login,
      tx: interaction.handle,
      csrf: token,
      clientName: interaction.client.name,
      email: extra.email ?? interaction.tx.request.login_hint ?? '',
      forgotHref: `${paths.forgot}?tx=${interaction.handle}`,
      signUpHref: tenant.policy.signUpEnabled
        ? `${paths.signUp}?tx=${interaction.handle}`
        : undefined,
      errors: extra.errors ?? [],
      credentialError: extra.credentialError ?? false,
      notice: extra.notice,
      passkey: passkeySignIn(res, tenant, frame, { tx: interaction.handle, csrf: token }),
      federated:
        providers.length > 0 &&
        deps.external?.signIn.buttons(res, tenant, frame, interaction.handle, providers),
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
    const { frame, csrf: token } = txForm(req, res, tenant, interaction);
    const paths = pathsOf(tenant);
    const page = signUpPage(frame, {
      action: paths.signUp,
      tx: interaction.handle,
      csrf: token,
      email: extra.email ?? interaction.tx.request.login_hint ?? '',
      name: extra.name ?? '',
      minLength: tenant.policy.passwordMinLength,
      signInHref: `${paths.login}?tx=${interaction.handle}`,
      errors: extra.errors ?? [],
      scripts: passkeyScripts(res, tenant),
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
    return answerNext(next, req, res, tenant, respond, uiLocales);
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
      async function loginPage({ query, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await interactionFor(req, res, tenant, query.tx);
        const current = await currentSession(req, tenant);
        if (current && service.stepUpNeeded(tenant, interaction, current)) {
          // Step-up (acr_values): the session's user only adds a second factor, no password.
          const user = await tenant.db.users.findById(current.userId);
          if (user?.status === 'active') {
            const done = await service.signedIn(
              tenant,
              interaction,
              user,
              current.amr,
              current,
              requestMetaOf(req),
              { method: 'hosted_step_up' },
            );
            if (done.kind === 'mfa') {
              setMfaCookie(res, tenant, done.mfaToken);
              return redirect(mfaPageOf(tenant, interaction.handle, done.enrolment), 303);
            }
          }
        }
        const providers = await providersOf(tenant);
        const { frame, page } = signInView(req, res, tenant, interaction, { providers });
        const notices = {
          signed_up: frame.messages.signUpAccepted,
          mfa_expired: frame.messages.mfaExpired,
        };
        const notice = query.notice === undefined ? undefined : notices[query.notice];
        if (query.error !== undefined) {
          const errors = [passkeySignInError(frame, query.error)];
          return reply(200, signInView(req, res, tenant, interaction, { errors, providers }).page);
        }
        if (notice === undefined) return reply(200, page);
        return reply(200, signInView(req, res, tenant, interaction, { notice, providers }).page);
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
        const providers = await providersOf(tenant);
        const view = (extra: Parameters<typeof signInView>[4]) =>
          signInView(req, res, tenant, interaction, { email, providers, ...extra });
        forms.check(req, tenant, interaction.handle, body.csrf, view({}).frame);
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
            { email, password: body.password ?? '', current, interaction },
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
        if (result.kind === 'mfa') {
          // The session starts only after the second factor (or the enrolment).
          setMfaCookie(res, tenant, result.mfaToken);
          return redirect(mfaPageOf(tenant, interaction.handle, result.enrolment), 303);
        }
        storeSession(res, tenant, result.session);
        if (await shouldOfferPasskey(req, tenant, result.session.row, body.passkeys)) {
          return redirect(passkeyOfferOf(tenant, interaction.handle), 303);
        }
        const frame = view({}).frame;
        const next = await stepOf(frame, () =>
          service.next(tenant, interaction, result.session.row),
        );
        return answerNext(
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
          'The rules of `POST /v1/auth/sign-up`. With enumeration protection a new and a taken email get the same answer (303 to the sign-in page with a neutral notice) and nobody is signed in. Under `require_email_verification` the answer is a "check your email" page (200), for a new and a taken email alike.',
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
        forms.check(req, tenant, interaction.handle, body.csrf, frame);
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
        if (outcome.kind === 'accepted' && tenant.policy.requireEmailVerification) {
          // Nobody is signed in before the address is proven: say where the next step is. A
          // taken address (enumeration protection) gets this same page.
          return reply(
            200,
            outcomePage(frame, {
              heading: m.checkEmailTitle,
              body: m.signUpCheckEmail(email),
              link: { href: `${pathsOf(tenant).login}?tx=${interaction.handle}`, text: m.signIn },
            }),
          );
        }
        if (outcome.kind === 'accepted') {
          return redirect(
            `${pathsOf(tenant).login}?tx=${interaction.handle}&notice=signed_up`,
            303,
          );
        }
        const current = await currentSession(req, tenant);
        const user = await tenant.db.users.findById(outcome.userId);
        if (!user) throw new AppError('invalid_credentials');
        const done = await service.signedIn(
          tenant,
          interaction,
          user,
          ['pwd'],
          current,
          requestMetaOf(req),
          { method: 'hosted_sign_up' },
        );
        if (done.kind === 'mfa') {
          // `mfa: required` (or acr_values): the new account enrols a factor first.
          setMfaCookie(res, tenant, done.mfaToken);
          return redirect(mfaPageOf(tenant, interaction.handle, done.enrolment), 303);
        }
        const { session } = done;
        storeSession(res, tenant, session);
        if (await shouldOfferPasskey(req, tenant, session.row, body.passkeys)) {
          return redirect(passkeyOfferOf(tenant, interaction.handle), 303);
        }
        const next = await stepOf(frame, () => service.next(tenant, interaction, session.row));
        return answerNext(
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
        if (!session || !service.loginSatisfied(tenant, interaction, session)) {
          return redirect(`${paths.login}?tx=${interaction.handle}`, 303);
        }
        const user = await tenant.db.users.findById(session.userId);
        const { client, tx } = interaction;
        const { frame, csrf: token } = txForm(req, res, tenant, interaction);
        const logo = client.logo_uri?.startsWith('https://') ? client.logo_uri : undefined;
        const logoOrigin = logo === undefined ? undefined : originOf(logo);
        if (logoOrigin !== undefined) allowOnPage(res, { images: [logoOrigin] });
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
            apiScopes: await service.apiScopes(tenant, interaction),
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
        const { tenant, interaction, frame } = await pages.opened(req, res, body.tx, body.csrf);
        const session = await currentSession(req, tenant);
        const login = `${pathsOf(tenant).login}?tx=${interaction.handle}`;
        if (body.decision === 'switch') {
          if (session) {
            // No `session.revoked` is recorded: the bearer guards' session cache is told here.
            markSessionRevoked(tenant.db.tenantId, session.id);
            await tenant.db.browserSessions.revoke(session.id, 'switch_account');
          }
          const scope = cookieScope(tenant.config);
          clearCookie(res, scope, scope.session);
          return redirect(login, 303);
        }
        if (!session || !service.loginSatisfied(tenant, interaction, session)) {
          return redirect(login, 303);
        }
        const next = await stepOf(frame, () =>
          service.consent(
            tenant,
            interaction,
            session,
            body.decision === 'allow',
            requestMetaOf(req),
          ),
        );
        return answerNext(
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
