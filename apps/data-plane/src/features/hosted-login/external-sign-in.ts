import { allowOnPage, AppError, type Responder, type SafeHtml } from '@hellojohn/http';
import type { UserRow } from '@hellojohn/dal';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { Csrf } from './csrf';
import { FEDERATED_MESSAGES, type FederatedMessages } from './federated-messages';
import {
  answerNext,
  createHostedForms,
  stepOf,
  storeSession,
  type Page,
  type PageReply,
} from './hosted-form';
import type { HostedLoginService, Interaction } from './hosted-login.service';
import { mfaPageOf, setMfaCookie } from './mfa-cookie';
import { frameFor, pathsOf } from './page-context';
import {
  federatedButtons,
  federationErrorPage,
  linkAccountPage,
  type LinkAccountView,
} from './pages/federated';
import type { PageFrame } from './pages/layout';
import { originOf } from './redirect-uri';
import { createTxPages } from './tx-pages';

/** An enabled upstream provider as the sign-in page shows it. */
export interface FederatedProviderButton {
  id: string;
  name: string;
  buttonLabel: string | null;
  iconUrl: string | null;
}

/** Lists a tenant's enabled identity providers for the sign-in page (features/federation). */
export type FederatedButtonSource = (tenant: TenantContext) => Promise<FederatedProviderButton[]>;

/**
 * What the hosted login lends a sign-in that happens elsewhere (an upstream identity provider,
 * features/federation): the login transaction, its pages' frame and CSRF, and the end of the
 * sign-in, which is exactly a password sign-in's (the MFA step, the same session cookie, consent,
 * the code to the client).
 */
export interface ExternalSignIn {
  /** The live transaction `tx` names; the expired page (400) when it is gone. */
  interaction(req: Request, res: Response, tenant: TenantContext, tx: string): Promise<Interaction>;
  /** The transaction's page frame, its form's CSRF token and the federation texts. */
  form(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
  ): { frame: PageFrame; csrf: string; m: FederatedMessages };
  /** A posted form: same site, this transaction's CSRF token; the forbidden page otherwise. */
  check(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    csrf: string | undefined,
  ): void;
  /** The user authenticated (`amr`): MFA when due, else the browser session and the next step. */
  finish(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    user: UserRow,
    amr: readonly string[],
    respond: Responder<Page>,
  ): Promise<PageReply>;
  /** The "sign in with your password to link" page. */
  linkPage(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    view: Omit<LinkAccountView, 'action' | 'tx' | 'csrf'> & { action: string },
  ): SafeHtml;
  /** A failed federated sign-in as a page (`status` 400), with a link back to the sign-in page. */
  failure(
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction | undefined,
    body: (m: FederatedMessages) => string,
    code?: 'federation_failed' | 'forbidden',
  ): AppError;
  /** The sign-in page's buttons for a transaction. */
  buttons(
    res: Response,
    tenant: TenantContext,
    frame: PageFrame,
    handle: string,
    providers: readonly FederatedProviderButton[],
  ): SafeHtml | false;
}

export function createExternalSignIn(service: HostedLoginService, csrf: Csrf): ExternalSignIn {
  const forms = createHostedForms(csrf);
  const pages = createTxPages(service, forms);
  const federatedPath = (tenant: TenantContext, id: string) =>
    `${pathsOf(tenant).login}/federated/${id}`;

  return {
    interaction: pages.interaction,
    form(req, res, tenant, interaction) {
      const view = pages.form(req, res, tenant, interaction);
      return { ...view, m: FEDERATED_MESSAGES[view.frame.locale] };
    },
    check(req, res, tenant, interaction, token) {
      pages.checked(req, res, tenant, interaction, token);
    },
    async finish(req, res, tenant, interaction, user, amr, respond) {
      const { frame } = pages.form(req, res, tenant, interaction);
      const current = await pages.session(req, tenant);
      const done = await service.signedIn(
        tenant,
        interaction,
        user,
        amr,
        current,
        requestMetaOf(req),
        { method: 'federated' },
      );
      if (done.kind === 'mfa') {
        // The session starts only after the second factor (or the enrolment), as after a password.
        setMfaCookie(res, tenant, done.mfaToken);
        return respond.redirect(mfaPageOf(tenant, interaction.handle, done.enrolment), 303);
      }
      storeSession(res, tenant, done.session);
      const next = await stepOf(frame, () => service.next(tenant, interaction, done.session.row));
      return answerNext(next, req, res, tenant, respond, interaction.tx.request.ui_locales);
    },
    linkPage(req, res, tenant, interaction, view) {
      const { frame, csrf: token } = pages.form(req, res, tenant, interaction);
      return linkAccountPage(frame, FEDERATED_MESSAGES[frame.locale], {
        ...view,
        tx: interaction.handle,
        csrf: token,
      });
    },
    failure(req, res, tenant, interaction, body, code = 'federation_failed') {
      const frame =
        interaction === undefined
          ? frameFor(req, res, tenant)
          : pages.form(req, res, tenant, interaction).frame;
      const m = FEDERATED_MESSAGES[frame.locale];
      const backHref =
        interaction === undefined ? undefined : `${pathsOf(tenant).login}?tx=${interaction.handle}`;
      return new AppError(code, body(m), {
        page: federationErrorPage(frame, m, { body: body(m), backHref }),
      });
    },
    buttons(res, tenant, frame, handle, providers) {
      const m = FEDERATED_MESSAGES[frame.locale];
      const icons = providers.flatMap((p) => {
        const origin = p.iconUrl === null ? undefined : originOf(p.iconUrl);
        return origin === undefined ? [] : [origin];
      });
      if (icons.length > 0) allowOnPage(res, { images: icons });
      return federatedButtons(
        m,
        providers.map((p) => ({
          href: `${federatedPath(tenant, p.id)}?tx=${handle}`,
          label: p.buttonLabel ?? m.continueWith(p.name),
          iconUrl: p.iconUrl !== null && p.iconUrl.startsWith('https://') ? p.iconUrl : null,
        })),
      );
    },
  };
}
