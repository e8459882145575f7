import {
  allowOnPage,
  AppError,
  HtmlPage,
  Redirect,
  type Responder,
  type ReplyOf,
} from '@hellojohn/http';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { TenantContext } from '../../tenancy/tenant-context';
import { redirectTarget } from './authorization-response';
import { cookieScope, readCookie, setCookie } from './browser-cookie';
import { isSameSite, type Csrf } from './csrf';
import { TransactionGone, type BrowserSession, type Next } from './hosted-login.service';
import { returnTargetOf } from './hosted-return';
import { frameFor, pathsOf } from './page-context';
import { AUTO_SUBMIT_JS, formPostPage } from './pages/form-post';
import type { PageFrame } from './pages/layout';
import { noticePage } from './pages/notice';

/** What a hosted page answers: the page, or a 303 to the next one or to the client. */
export type Page = { readonly 200: typeof HtmlPage; readonly 303: typeof Redirect };
export const PAGE: Page = { 200: HtmlPage, 303: Redirect };
export type PageReply = ReplyOf<Page>;

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
export function storeSession(res: Response, tenant: TenantContext, session: BrowserSession): void {
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

/** Where a form's page comes from: its languages, the client it may return to, its binding. */
export interface FormScope {
  uiLocales?: string | null | undefined;
  redirectUri?: string | undefined;
  /** What the CSRF token is bound to: the transaction handle, or the page's purpose. */
  bound: string;
}

/** The frame and CSRF token of every hosted form, and the check of what it posts back. */
export interface HostedForms {
  /** The page frame and the form's CSRF token (setting the interaction cookie if needed). */
  view(
    req: Request,
    res: Response,
    tenant: TenantContext,
    scope: FormScope,
  ): { frame: PageFrame; csrf: string };
  /** A form POST: same site and a CSRF token bound to the interaction cookie and `bound`. */
  check(
    req: Request,
    tenant: TenantContext,
    bound: string,
    token: string | undefined,
    frame: PageFrame,
  ): void;
}

export function createHostedForms(csrf: Csrf): HostedForms {
  return {
    view(req, res, tenant, scope) {
      const frame = frameFor(req, res, tenant, {
        uiLocales: scope.uiLocales,
        redirectUri: scope.redirectUri,
      });
      return { frame, csrf: csrf.token(interactionOf(req, res, tenant), scope.bound) };
    },
    check(req, tenant, bound, token, frame) {
      const interaction = readCookie(req, cookieScope(tenant.config).interaction);
      if (!isSameSite(req, tenant.config.issuer) || !csrf.verify(interaction, bound, token)) {
        throw forbiddenPage(frame);
      }
    },
  };
}

export function expiredPage(frame: PageFrame): AppError {
  const m = frame.messages;
  return new AppError('validation_failed', 'The sign-in request has expired.', {
    page: noticePage(frame, m.expiredTitle, m.expiredBody),
  });
}

/** Runs a step that may find its transaction completed meanwhile (double submit). */
export async function stepOf<T>(frame: PageFrame, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TransactionGone) throw expiredPage(frame);
    throw error;
  }
}

/** Answers a step's outcome: the next page (303) or the client's response (303 or form_post). */
export function answerNext(
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
    case 'return': {
      // Only a page on the allow-list, whatever the stored row says: never an open redirect.
      const target = returnTargetOf(tenant, next.location);
      if (target === undefined) throw expiredPage(frameFor(req, res, tenant));
      return respond.redirect(`${paths[target]}?tx=${next.handle}`, 303);
    }
    case 'respond': {
      const { response } = next;
      if (response.mode === 'query') return respond.redirect(redirectTarget(response), 303);
      const frame = frameFor(req, res, tenant, { uiLocales, redirectUri: response.redirectUri });
      allowOnPage(res, { inlineScripts: [AUTO_SUBMIT_JS] });
      return respond.reply(200, formPostPage(frame, response.redirectUri, response.params));
    }
  }
}
