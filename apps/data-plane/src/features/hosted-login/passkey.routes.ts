import { AppError, endpoint } from '@hellojohn/http';
import type { SessionRow } from '@hellojohn/dal';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import {
  AuthenticationCredential,
  AuthenticationOptions,
  PASSKEY_SIGN_IN_AMR,
  RegistrationCredential,
  RegistrationOptions,
  type PasskeyRegistrationService,
  type PasskeySignInService,
} from '../passkeys';
import { cookieScope, readCookie } from './browser-cookie';
import { isSameSite, type Csrf } from './csrf';
import { createHostedForms, PAGE, storeSession } from './hosted-form';
import type { HostedLoginService, Interaction } from './hosted-login.service';
import { pathsOf } from './page-context';
import { passkeyScripts } from './passkey-assets';
import { PASSKEY_MESSAGES } from './passkey-messages';
import { rememberNotNow } from './passkey-offer';
import { passkeyPathsOf } from './passkey-paths';
import { mfaPageOf, readMfaCookie, setMfaCookie } from './mfa-cookie';
import { createTxPages } from './tx-pages';
import {
  PasskeyEnrolForm,
  PasskeyFactorOptionsForm,
  PasskeyOptionsForm,
  PasskeySignInForm,
} from './passkey.schemas';
import { passkeyAddedPage, passkeyEnrolPage } from './pages/passkey-enrol';

const TAGS = ['hosted login'];

/** What the hosted login's passkey pages use of passkeys and of the MFA step. */
export interface HostedPasskeys {
  registration: PasskeyRegistrationService;
  signIn: PasskeySignInService;
  /** Request options for the user of an MFA step (MfaStepService.passkeyOptions). */
  factorOptions(
    tenant: TenantContext,
    mfaToken: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON>;
}

export interface PasskeyRouteDeps extends HostedPasskeys {
  service: HostedLoginService;
  csrf: Csrf;
}

/** The JSON value of a form field, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The hosted login's passkey routes (docs/hosted-login.md, "Passkeys"): sign-in with a passkey
 * from the sign-in page, and the "add a passkey" offer after a sign-in or sign-up. The script
 * fetches options as JSON (problem+json on error); the ceremonies' answers come back as plain
 * form posts, answered like every hosted form (303 onwards, or a page).
 */
export function passkeyRoutes(deps: PasskeyRouteDeps) {
  const { service, csrf } = deps;
  const pages = createTxPages(service, createHostedForms(csrf));
  const { session: currentSession, form: txForm } = pages;

  /** The options calls answer JSON: a bad token is a 403 problem, not the HTML notice page. */
  function checkJsonForm(req: Request, tenant: TenantContext, bound: string, token: string) {
    const interaction = readCookie(req, cookieScope(tenant.config).interaction);
    if (!isSameSite(req, tenant.config.issuer) || !csrf.verify(interaction, bound, token)) {
      throw new AppError('forbidden', 'The form is not valid: reload the page.');
    }
  }

  async function liveInteraction(tenant: TenantContext, tx: string): Promise<Interaction> {
    const interaction = await service.interaction(tenant, tx);
    if (!interaction) throw new AppError('validation_failed', 'The sign-in request has expired.');
    return interaction;
  }

  /** The signed-in session a transaction's offer is for; else back to the sign-in page. */
  async function offerSession(
    req: Request,
    tenant: TenantContext,
    interaction: Interaction,
  ): Promise<SessionRow | undefined> {
    const session = await currentSession(req, tenant);
    // Only right after signing in during this transaction: a passkey signs in on its own, so an
    // older (or stolen) browser session must not be able to add one.
    const fresh = session && session.authTime.getTime() >= interaction.tx.createdAt.getTime();
    return fresh && service.loginSatisfied(tenant, interaction, session) ? session : undefined;
  }

  function enrolPage(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    failed: boolean,
  ) {
    const { frame, csrf: token } = txForm(req, res, tenant, interaction);
    const paths = passkeyPathsOf(tenant);
    return passkeyEnrolPage(frame, PASSKEY_MESSAGES[frame.locale], {
      action: paths.enrol,
      optionsUrl: paths.enrolOptions,
      tx: interaction.handle,
      csrf: token,
      failed,
      scripts: passkeyScripts(res, tenant),
    });
  }

  const signInFailed = (tenant: TenantContext, interaction: Interaction, error: string) =>
    `${pathsOf(tenant).login}?tx=${interaction.handle}&error=${error}`;

  return {
    passkeySignInOptions: endpoint(
      {
        summary: 'Passkey request options for the sign-in page',
        description:
          "What the sign-in page's script hands to `navigator.credentials.get()`: options for a discoverable credential (the same for everyone), for a live sign-in transaction and the page's CSRF token.",
        tags: TAGS,
        accepts: 'form',
        body: PasskeyOptionsForm,
        response: AuthenticationOptions,
        errors: ['forbidden', 'validation_failed'],
      },
      async function hostedPasskeySignInOptions({ body }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await liveInteraction(tenant, body.tx);
        checkJsonForm(req, tenant, interaction.handle, body.csrf);
        res.setHeader('Cache-Control', 'no-store');
        return deps.signIn.options(tenant);
      },
    ),

    passkeySignIn: endpoint(
      {
        summary: 'Sign in with a passkey (hosted login)',
        description:
          'The assertion of the sign-in page\'s passkey button or email autofill, posted as a form. The rules of `POST /v1/auth/passkey`; success starts the browser session (amr `["hwk","user","mfa"]`, no MFA step follows) and continues the authorization (303); any failure goes back to the sign-in page with one message.',
        tags: TAGS,
        accepts: 'form',
        body: PasskeySignInForm,
        responses: PAGE,
        errors: ['forbidden'],
      },
      async function hostedPasskeySignIn({ body, reply, redirect }, req, res) {
        const { tenant, interaction, frame } = await pages.opened(req, res, body.tx, body.csrf);
        const credential = AuthenticationCredential.safeParse(parseJson(body.response));
        if (!credential.success) return redirect(signInFailed(tenant, interaction, 'passkey'), 303);
        const meta = requestMetaOf(req);
        let user;
        try {
          ({ user } = await deps.signIn.authenticate(tenant, credential.data, meta));
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_passkey') {
            return redirect(signInFailed(tenant, interaction, 'passkey'), 303);
          }
          if (error instanceof AppError && error.code === 'email_not_verified') {
            return redirect(signInFailed(tenant, interaction, 'passkey_unverified'), 303);
          }
          throw error;
        }
        // A user-verified passkey is multi-factor already: the MFA step passes at once (it
        // still applies the tenant's rules, and never offers a passkey after a passkey).
        const done = await service.signedIn(
          tenant,
          interaction,
          user,
          PASSKEY_SIGN_IN_AMR,
          await currentSession(req, tenant),
          meta,
          { method: 'hosted_passkey', exclude: ['webauthn'] },
        );
        if (done.kind === 'mfa') {
          setMfaCookie(res, tenant, done.mfaToken);
          return redirect(mfaPageOf(tenant, interaction.handle, done.enrolment), 303);
        }
        const { session } = done;
        storeSession(res, tenant, session);
        return pages.proceed(req, res, tenant, interaction, frame, session.row, {
          reply,
          redirect,
        });
      },
    ),

    passkeyEnrolPage: endpoint(
      {
        summary: '"Add a passkey" offer page',
        description:
          'Shown after a sign-in or sign-up in a browser that can use passkeys, to a user without one. "Add a passkey" needs JavaScript; "Not now" (or "Continue") moves on and is remembered in this browser for 30 days.',
        tags: TAGS,
        query: PasskeyOptionsForm.pick({ tx: true }),
        responses: PAGE,
      },
      async function passkeyEnrolPageGet({ query, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await pages.interaction(req, res, tenant, query.tx);
        if (!(await offerSession(req, tenant, interaction))) {
          return redirect(`${pathsOf(tenant).login}?tx=${interaction.handle}`, 303);
        }
        return reply(200, enrolPage(req, res, tenant, interaction, false));
      },
    ),

    passkeyEnrolOptions: endpoint(
      {
        summary: 'Passkey creation options for the offer page',
        description:
          "What the offer page's script hands to `navigator.credentials.create()`, for the browser session's user (the rules of `POST /v1/mfa/webauthn/registration/options`).",
        tags: TAGS,
        accepts: 'form',
        body: PasskeyOptionsForm,
        response: RegistrationOptions,
        errors: ['forbidden', 'validation_failed'],
      },
      async function hostedPasskeyEnrolOptions({ body }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await liveInteraction(tenant, body.tx);
        checkJsonForm(req, tenant, interaction.handle, body.csrf);
        const session = await offerSession(req, tenant, interaction);
        if (!session) throw new AppError('forbidden', 'Sign in first.');
        res.setHeader('Cache-Control', 'no-store');
        return deps.registration.options(tenant, session.userId);
      },
    ),

    passkeyEnrol: endpoint(
      {
        summary: 'Answer the "add a passkey" offer',
        description:
          'With `response` (the created credential, JSON): registers the passkey for the browser session\'s user (the rules of `POST /v1/mfa/webauthn/registration`), then shows the recovery codes when it is their first second factor, or continues. Without: "Not now", remembered in this browser for 30 days, and the authorization continues (303).',
        tags: TAGS,
        accepts: 'form',
        body: PasskeyEnrolForm,
        responses: PAGE,
        errors: ['forbidden', 'passkey_registration_failed'],
      },
      async function hostedPasskeyEnrol({ body, reply, redirect }, req, res) {
        const {
          tenant,
          interaction,
          frame,
          csrf: token,
        } = await pages.opened(req, res, body.tx, body.csrf);
        const session = await offerSession(req, tenant, interaction);
        if (!session) return redirect(`${pathsOf(tenant).login}?tx=${interaction.handle}`, 303);
        if (body.response !== undefined && body.response !== '') {
          const failed = () =>
            new AppError('passkey_registration_failed', 'The passkey was not added.', {
              page: enrolPage(req, res, tenant, interaction, true),
            });
          const credential = RegistrationCredential.safeParse(parseJson(body.response));
          if (!credential.success) throw failed();
          let added;
          try {
            added = await deps.registration.register(
              tenant,
              session.userId,
              credential.data,
              undefined,
              requestMetaOf(req),
            );
          } catch (error) {
            if (error instanceof AppError && error.code === 'passkey_registration_failed') {
              throw failed();
            }
            throw error;
          }
          return reply(
            200,
            passkeyAddedPage(frame, PASSKEY_MESSAGES[frame.locale], {
              action: passkeyPathsOf(tenant).enrol,
              tx: interaction.handle,
              csrf: token,
              recoveryCodes: added.recoveryCodes,
            }),
          );
        }
        const passkeys = await tenant.db.mfaFactors.listByUser(session.userId, {
          type: 'webauthn',
          confirmedOnly: true,
        });
        // "Not now" / "Continue"; after adding one, the same button just continues.
        if (passkeys.length === 0) rememberNotNow(res, tenant);
        return pages.proceed(req, res, tenant, interaction, frame, session, { reply, redirect });
      },
    ),

    passkeyFactorOptions: endpoint(
      {
        summary: 'Passkey request options for the MFA page',
        description:
          "What the MFA page's script hands to `navigator.credentials.get()` for a passkey as the second factor: the user's passkeys, for the sign-in waiting in this browser (its mfa_token cookie), with the page's CSRF token. The assertion goes back through the MFA page's form.",
        tags: TAGS,
        accepts: 'form',
        body: PasskeyFactorOptionsForm,
        response: AuthenticationOptions,
        errors: ['forbidden', 'validation_failed', 'mfa_token_invalid', 'mfa_factor_not_found'],
      },
      async function hostedPasskeyFactorOptions({ body }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await liveInteraction(tenant, body.tx);
        checkJsonForm(req, tenant, interaction.handle, body.csrf);
        const mfaToken = readMfaCookie(req, tenant);
        if (mfaToken === undefined) throw new AppError('mfa_token_invalid');
        res.setHeader('Cache-Control', 'no-store');
        return deps.factorOptions(tenant, mfaToken);
      },
    ),
  };
}
