import {
  AppError,
  endpoint,
  HtmlPage,
  Redirect,
  type Responder,
  type SafeHtml,
} from '@hellojohn/http';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { requestMetaOf } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { MfaPending, SecondFactorInput } from '../mfa';
import type { Csrf } from './csrf';
import { createHostedForms, PAGE, type Page, storeSession } from './hosted-form';
import type { BrowserSession, HostedLoginService, Interaction } from './hosted-login.service';
import { clearMfaCookie, readMfaCookie } from './mfa-cookie';
import { MfaEnrolForm, MfaEnrolQuery, MfaForm, MfaQuery, MfaTxForm } from './mfa-step.schemas';
import { digitsOf, type Enrolled, type HostedMfaService } from './mfa-step.service';
import { pathsOf } from './page-context';
import { passkeyScripts } from './passkey-assets';
import { PASSKEY_MESSAGES } from './passkey-messages';
import { passkeyPathsOf } from './passkey-paths';
import type { FieldError, PageFrame } from './pages/layout';
import { mfaEnrolPage, recoveryCodesPage, type MfaEnrolView } from './pages/mfa-enrol';
import { mfaStepPage } from './pages/mfa-step';
import { createTxPages, minutesOf } from './tx-pages';

const TAGS = ['hosted login'];

const isCode = (error: unknown, code: string): error is AppError =>
  error instanceof AppError && error.code === code;

/** What a code form may answer besides the page and its redirects. */
const CODE_ERRORS = [
  'invalid_mfa_code',
  'validation_failed',
  'forbidden',
  'account_locked',
  'rate_limited',
] as const;

/** Which field of the MFA page a factor's form posts. */
const FIELD_OF = {
  totp: 'totp_code',
  recovery_code: 'recovery_code',
  email_otp: 'email_code',
  webauthn: 'passkey-factor',
} as const;

/** The second factor of a hosted sign-in and the enrolment under `mfa: required` (docs/mfa.md). */
export function hostedMfaRoutes(deps: {
  service: HostedLoginService;
  mfa: HostedMfaService;
  csrf: Csrf;
}) {
  const { service, mfa } = deps;
  const pages = createTxPages(service, createHostedForms(deps.csrf));

  /** Gone, spent or worn-out mfa_token: back to the sign-in form with a sentence why. */
  function restart(
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    redirect: Responder<Page>['redirect'],
  ) {
    clearMfaCookie(res, tenant);
    return redirect(`${pathsOf(tenant).login}?tx=${interaction.handle}&notice=mfa_expired`, 303);
  }

  /** The live challenge this browser holds for the transaction, or undefined (restart). */
  async function pendingOf(req: Request, tenant: TenantContext, interaction: Interaction) {
    const token = readMfaCookie(req, tenant);
    if (token === undefined) return undefined;
    try {
      return { token, pending: await mfa.pending(tenant, interaction, token) };
    } catch (error) {
      if (isCode(error, 'mfa_token_invalid')) return undefined;
      throw error;
    }
  }

  /**
   * What every MFA page and form starts with: the transaction, its frame (after the CSRF check
   * when a form was posted) and the challenge this browser holds; no `live` one: restart.
   */
  async function opened(req: Request, res: Response, form: { tx: string; csrf?: string }) {
    const view = await pages.opened(req, res, form.tx, form.csrf);
    return { ...view, live: await pendingOf(req, view.tenant, view.interaction) };
  }

  /**
   * The "mail me a code" buttons: mail it, then `303` to `page` with `then` (the code's form);
   * a refusal in `ignore` (the button was not offered to this user) goes back to `page` as is.
   */
  async function mailed(
    req: Request,
    res: Response,
    body: { tx: string; csrf: string },
    redirect: Responder<Page>['redirect'],
    options: {
      page: (tenant: TenantContext) => string;
      then: string;
      ignore: readonly string[];
      send: 'sendEmailCode' | 'startEmail';
    },
  ) {
    const { tenant, interaction, frame, live } = await opened(req, res, body);
    if (!live) return restart(res, tenant, interaction, redirect);
    const back = `${options.page(tenant)}?tx=${interaction.handle}`;
    try {
      await mfa[options.send](tenant, interaction, live.token, frame.locale, requestMetaOf(req));
    } catch (error) {
      if (isCode(error, 'mfa_token_invalid')) return restart(res, tenant, interaction, redirect);
      if (error instanceof AppError && options.ignore.includes(error.code)) {
        return redirect(back, 303);
      }
      throw error;
    }
    return redirect(`${back}&${options.then}`, 303);
  }

  function stepPage(
    res: Response,
    frame: PageFrame,
    csrf: string,
    tenant: TenantContext,
    interaction: Interaction,
    pending: MfaPending,
    extra: { emailSent?: boolean; errors?: FieldError[] },
  ) {
    const has = (type: string) => pending.factors.some((f) => f.type === type);
    const paths = pathsOf(tenant);
    return mfaStepPage(frame, {
      action: paths.mfa,
      emailAction: `${paths.mfa}/email`,
      tx: interaction.handle,
      csrf,
      totp: has('totp'),
      recoveryCode: has('recovery_code'),
      email: has('email_otp'),
      emailSent: extra.emailSent ?? false,
      passkey: has('webauthn')
        ? {
            optionsUrl: passkeyPathsOf(tenant).factorOptions,
            failedText: PASSKEY_MESSAGES[frame.locale].factorFailed,
            scripts: passkeyScripts(res, tenant),
          }
        : undefined,
      errors: extra.errors ?? [],
    });
  }

  function enrolPage(
    frame: PageFrame,
    csrf: string,
    tenant: TenantContext,
    interaction: Interaction,
    view: Pick<MfaEnrolView, 'totp' | 'emailOffered' | 'emailSent'> & { errors?: FieldError[] },
  ) {
    const paths = pathsOf(tenant);
    return mfaEnrolPage(frame, {
      action: paths.mfaEnrol,
      emailAction: `${paths.mfaEnrol}/email`,
      totpHref: `${paths.mfaEnrol}?tx=${interaction.handle}`,
      tx: interaction.handle,
      csrf,
      ...view,
      errors: view.errors ?? [],
    });
  }

  /** A wrong code shows its form again; a lockout, its wait in minutes (429). */
  function codeRefused(
    error: unknown,
    frame: PageFrame,
    field: string,
    page: (errors: FieldError[]) => SafeHtml,
  ) {
    const m = frame.messages;
    if (isCode(error, 'invalid_mfa_code')) {
      return new AppError('invalid_mfa_code', m.badCode, {
        page: page([{ field, message: m.badCode }]),
      });
    }
    if (error instanceof AppError && error.status === 429) {
      const message = m.tooManyAttempts(minutesOf(error));
      return new AppError(error.code, message, {
        headers: error.headers,
        page: page([{ field, message }]),
      });
    }
    return undefined;
  }

  function missingCode(frame: PageFrame, field: string, page: (errors: FieldError[]) => SafeHtml) {
    const message = frame.messages.enterCode;
    return new AppError('validation_failed', message, { page: page([{ field, message }]) });
  }

  /** Signed in: the MFA cookie goes, the session cookie comes, the authorization continues. */
  async function proceed(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    frame: PageFrame,
    session: BrowserSession,
    respond: Responder<Page>,
  ) {
    clearMfaCookie(res, tenant);
    storeSession(res, tenant, session);
    return pages.proceed(req, res, tenant, interaction, frame, session.row, respond);
  }

  function inputOf(body: MfaFormBody): { input: SecondFactorInput; empty: boolean } {
    switch (body.factor) {
      case 'totp': {
        const code = digitsOf(body.totp_code);
        return { input: { factor: 'totp', code }, empty: code === '' };
      }
      case 'email_otp': {
        const code = digitsOf(body.email_code);
        return { input: { factor: 'email_otp', code }, empty: code === '' };
      }
      case 'recovery_code': {
        const code = (body.recovery_code ?? '').trim();
        return { input: { factor: 'recovery_code', code }, empty: code === '' };
      }
      case 'webauthn': {
        let response: unknown;
        try {
          response = JSON.parse(body.response ?? '');
        } catch {
          response = undefined;
        }
        return { input: { factor: 'webauthn', response }, empty: response === undefined };
      }
    }
  }

  return {
    mfaPage: endpoint(
      {
        summary: 'Second-factor page of the hosted sign-in',
        description:
          'After the first factor, when the MFA step asks for a second: one form per factor of the user (authenticator code, email code, recovery code; the passkey section for the page script). The mfa_token waits in an HttpOnly cookie; without a live one, `303` back to sign-in.',
        tags: TAGS,
        query: MfaQuery,
        responses: PAGE,
      },
      async function mfaPage({ query, reply, redirect }, req, res) {
        const { tenant, interaction, frame, csrf, live } = await opened(req, res, query);
        if (!live) return restart(res, tenant, interaction, redirect);
        if (live.pending.enrolment) {
          return redirect(`${pathsOf(tenant).mfaEnrol}?tx=${interaction.handle}`, 303);
        }
        return reply(
          200,
          stepPage(res, frame, csrf, tenant, interaction, live.pending, {
            emailSent: query.sent === 'email',
          }),
        );
      },
    ),

    mfaVerify: endpoint(
      {
        summary: 'Answer the second-factor page',
        description:
          'The rules of `POST /v1/auth/mfa/verify` (one use per mfa_token, 5 wrong codes, the account and code lockouts). Success starts (or steps up) the browser session with the merged `amr`/`acr` and continues the authorization; a wrong code shows the page again (`401`), a lockout its wait (`429`).',
        tags: TAGS,
        accepts: 'form',
        body: MfaForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: [...CODE_ERRORS],
      },
      async function mfaVerify({ body, reply, redirect }, req, res) {
        const { tenant, interaction, frame, csrf, live } = await opened(req, res, body);
        if (!live) return restart(res, tenant, interaction, redirect);
        if (live.pending.enrolment) {
          return redirect(`${pathsOf(tenant).mfaEnrol}?tx=${interaction.handle}`, 303);
        }
        const field = FIELD_OF[body.factor];
        const page = (errors: FieldError[]) =>
          stepPage(res, frame, csrf, tenant, interaction, live.pending, {
            emailSent: body.factor === 'email_otp',
            errors,
          });
        const { input, empty } = inputOf(body);
        if (empty) throw missingCode(frame, field, page);
        let session: BrowserSession;
        try {
          const current = await pages.session(req, tenant);
          session = await mfa.verify(
            tenant,
            interaction,
            live.token,
            input,
            current,
            requestMetaOf(req),
          );
        } catch (error) {
          if (isCode(error, 'mfa_token_invalid'))
            return restart(res, tenant, interaction, redirect);
          throw codeRefused(error, frame, field, page) ?? error;
        }
        return proceed(req, res, tenant, interaction, frame, session, { reply, redirect });
      },
    ),

    mfaSendEmail: endpoint(
      {
        summary: 'Mail a second-factor code (hosted sign-in)',
        description:
          'The rules of `POST /v1/auth/mfa/challenge` with `email_otp`; then `303` to the second-factor page with the code form.',
        tags: TAGS,
        accepts: 'form',
        body: MfaTxForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: ['forbidden', 'rate_limited'],
      },
      async function mfaSendEmail({ body, redirect }, req, res) {
        return mailed(req, res, body, redirect, {
          page: (tenant) => pathsOf(tenant).mfa,
          then: 'sent=email',
          // No email factor (a hand-made request): the page shows what the user has.
          ignore: ['mfa_factor_not_found'],
          send: 'sendEmailCode',
        });
      },
    ),

    mfaEnrolPage: endpoint(
      {
        summary: 'Second-factor enrolment page (hosted sign-in)',
        description:
          'Under `mfa: required` (or `acr_values` asking for multi-factor) for a user with no factor: an authenticator app to set up (QR code as inline SVG, the key in text) and, for a verified address, email codes instead.',
        tags: TAGS,
        query: MfaEnrolQuery,
        responses: PAGE,
      },
      async function mfaEnrolPage({ query, reply, redirect }, req, res) {
        const { tenant, interaction, frame, csrf, live } = await opened(req, res, query);
        if (!live) return restart(res, tenant, interaction, redirect);
        if (!live.pending.enrolment) {
          return redirect(`${pathsOf(tenant).mfa}?tx=${interaction.handle}`, 303);
        }
        const { emailOffered } = await mfa.enrolling(tenant, interaction, live.token);
        if (query.method === 'email') {
          return reply(
            200,
            enrolPage(frame, csrf, tenant, interaction, { emailOffered, emailSent: true }),
          );
        }
        const totp = await mfa.startTotp(tenant, interaction, live.token, requestMetaOf(req));
        return reply(
          200,
          enrolPage(frame, csrf, tenant, interaction, { totp, emailOffered, emailSent: false }),
        );
      },
    ),

    mfaEnrol: endpoint(
      {
        summary: 'Confirm the enrolled second factor (hosted sign-in)',
        description:
          'The rules of `POST /v1/mfa/totp/confirm` and `/v1/mfa/email/confirm` with the enrolment-only mfa_token. Success starts the browser session (`amr` with `mfa`) and shows the 10 recovery codes once; a wrong code shows the form again with the same key.',
        tags: TAGS,
        accepts: 'form',
        body: MfaEnrolForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: [...CODE_ERRORS],
      },
      async function mfaEnrol({ body, reply, redirect }, req, res) {
        const { tenant, interaction, frame, csrf, live } = await opened(req, res, body);
        if (!live) return restart(res, tenant, interaction, redirect);
        const again = `${pathsOf(tenant).mfaEnrol}?tx=${interaction.handle}`;
        if (!live.pending.enrolment) return redirect(again, 303);
        const meta = requestMetaOf(req);
        const { emailOffered } = await mfa.enrolling(tenant, interaction, live.token);
        const email = body.factor === 'email_otp';
        const field = email ? 'email_code' : 'totp_code';
        const code = digitsOf(email ? body.email_code : body.totp_code);
        const factorId = body.factor_id;
        if (!email && factorId === undefined) return redirect(again, 303);
        const totp =
          email || factorId === undefined
            ? undefined
            : await mfa.pendingTotp(tenant, interaction, live.token, factorId);
        // The enrolment lapsed (10 minutes) or was replaced: a new key.
        if (!email && totp === undefined) return redirect(again, 303);
        const page = (errors: FieldError[]) =>
          enrolPage(frame, csrf, tenant, interaction, {
            totp,
            emailOffered,
            emailSent: email,
            errors,
          });
        if (code === '') throw missingCode(frame, field, page);
        const current = await pages.session(req, tenant);
        let done: Enrolled;
        try {
          done =
            email || factorId === undefined
              ? await mfa.confirmEmail(tenant, interaction, live.token, code, current, meta)
              : await mfa.confirmTotp(
                  tenant,
                  interaction,
                  live.token,
                  factorId,
                  code,
                  current,
                  meta,
                );
        } catch (error) {
          if (isCode(error, 'mfa_token_invalid'))
            return restart(res, tenant, interaction, redirect);
          if (isCode(error, 'mfa_factor_not_found')) return redirect(again, 303);
          throw codeRefused(error, frame, field, page) ?? error;
        }
        if (done.recoveryCodes === undefined) {
          return proceed(req, res, tenant, interaction, frame, done.session, { reply, redirect });
        }
        clearMfaCookie(res, tenant);
        storeSession(res, tenant, done.session);
        return reply(
          200,
          recoveryCodesPage(frame, {
            action: `${pathsOf(tenant).mfa}/continue`,
            tx: interaction.handle,
            csrf,
            codes: done.recoveryCodes,
          }),
        );
      },
    ),

    mfaEnrolEmail: endpoint(
      {
        summary: 'Enrol email codes instead (hosted sign-in)',
        description:
          'The rules of `POST /v1/mfa/email` with the enrolment-only mfa_token: mails a code, then `303` to the enrolment page with its form.',
        tags: TAGS,
        accepts: 'form',
        body: MfaTxForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: ['forbidden', 'rate_limited'],
      },
      async function mfaEnrolEmail({ body, redirect }, req, res) {
        return mailed(req, res, body, redirect, {
          page: (tenant) => pathsOf(tenant).mfaEnrol,
          then: 'method=email',
          // Not offered to this user (unverified address, or email was the first factor).
          ignore: ['forbidden', 'email_not_verified'],
          send: 'startEmail',
        });
      },
    ),

    mfaContinue: endpoint(
      {
        summary: 'Continue after the recovery codes (hosted sign-in)',
        description: '"I have saved them": the authorization continues (consent or the client).',
        tags: TAGS,
        accepts: 'form',
        body: MfaTxForm,
        responses: { 303: Redirect, 200: HtmlPage },
        errors: ['forbidden'],
      },
      async function mfaContinue({ body, reply, redirect }, req, res) {
        const { tenant, interaction, frame } = await pages.opened(req, res, body.tx, body.csrf);
        const session = await pages.session(req, tenant);
        return pages.proceed(req, res, tenant, interaction, frame, session, { reply, redirect });
      },
    ),
  };
}

type MfaFormBody = z.output<typeof MfaForm>;
