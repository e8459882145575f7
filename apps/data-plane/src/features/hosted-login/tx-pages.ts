import type { AppError, Responder } from '@hellojohn/http';
import type { SessionRow } from '@hellojohn/dal';
import type { Request, Response } from 'express';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import { cookieScope, readCookie } from './browser-cookie';
import {
  answerNext,
  expiredPage,
  stepOf,
  type HostedForms,
  type Page,
  type PageReply,
} from './hosted-form';
import type { HostedLoginService, Interaction } from './hosted-login.service';
import { frameFor } from './page-context';
import type { PageFrame } from './pages/layout';

/**
 * What every page of a login transaction does first: find the transaction its `tx` names (or show
 * the expired page), draw its frame with the form's CSRF token, check what a form posts back, and
 * read the browser's session.
 */
export interface TxPages {
  /** The live transaction `tx` names; the expired page (400) when it is gone. */
  interaction: (
    req: Request,
    res: Response,
    tenant: TenantContext,
    tx: string,
  ) => Promise<Interaction>;
  /** The page frame (the transaction's languages and client) and its forms' CSRF token. */
  form: (
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
  ) => { frame: PageFrame; csrf: string };
  /** As `form`, after checking the posted form: same site, this transaction's CSRF token. */
  checked: (
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    csrf: string | undefined,
  ) => { frame: PageFrame; csrf: string };
  /**
   * The start of a page (`csrf` undefined) or of a posted form: the tenant, the transaction, and
   * the frame with its CSRF token (a posted form checked first).
   */
  opened: (
    req: Request,
    res: Response,
    tx: string,
    csrf?: string,
  ) => Promise<{ tenant: TenantContext; interaction: Interaction; frame: PageFrame; csrf: string }>;
  /** The live browser session the SSO cookie names. */
  session: (req: Request, tenant: TenantContext) => Promise<SessionRow | undefined>;
  /** What follows in the transaction for this session (consent, the client, sign-in), answered. */
  proceed: (
    req: Request,
    res: Response,
    tenant: TenantContext,
    interaction: Interaction,
    frame: PageFrame,
    session: SessionRow | undefined,
    respond: Responder<Page>,
  ) => Promise<PageReply>;
}

export function createTxPages(service: HostedLoginService, forms: HostedForms): TxPages {
  const form: TxPages['form'] = (req, res, tenant, interaction) =>
    forms.view(req, res, tenant, {
      uiLocales: interaction.tx.request.ui_locales,
      redirectUri: interaction.tx.request.redirect_uri,
      bound: interaction.handle,
    });
  const checked: TxPages['checked'] = (req, res, tenant, interaction, csrf) => {
    const view = form(req, res, tenant, interaction);
    forms.check(req, tenant, interaction.handle, csrf, view.frame);
    return view;
  };
  const interactionOf: TxPages['interaction'] = async (req, res, tenant, tx) => {
    const interaction = await service.interaction(tenant, tx);
    if (!interaction) throw expiredPage(frameFor(req, res, tenant));
    return interaction;
  };
  return {
    interaction: interactionOf,
    form,
    checked,
    async opened(req, res, tx, csrf) {
      const tenant = tenantOf(res);
      const interaction = await interactionOf(req, res, tenant, tx);
      const view =
        csrf === undefined
          ? form(req, res, tenant, interaction)
          : checked(req, res, tenant, interaction, csrf);
      return { tenant, interaction, ...view };
    },
    async proceed(req, res, tenant, interaction, frame, session, respond) {
      const next = await stepOf(frame, () => service.next(tenant, interaction, session));
      return answerNext(next, req, res, tenant, respond, interaction.tx.request.ui_locales);
    },
    session: (req, tenant) =>
      service.browserSession(tenant, readCookie(req, cookieScope(tenant.config).session)),
  };
}

/** Minutes to wait, rounded up, from a 429's Retry-After (the "Try again in {n} minutes" text). */
export function minutesOf(error: AppError): number {
  const seconds = Number(error.headers['Retry-After'] ?? 60);
  return Math.max(1, Math.ceil((Number.isFinite(seconds) ? seconds : 60) / 60));
}
