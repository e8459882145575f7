import { allowOnPage } from '@hellojohn/http';
import type { Request, Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';
import { brandingOf } from './branding';
import { negotiateLocale } from '../../i18n/negotiate-locale';
import { MESSAGES } from './messages';
import { BASE_CSS, type PageFrame } from './pages/layout';
import { originOf } from './redirect-uri';

/** The hosted pages' URLs under the issuer's path (`/t/{slug}`), as the browser sees them. */
export interface HostedPaths {
  authorize: string;
  login: string;
  signUp: string;
  consent: string;
  endSession: string;
  /** The pages the mailed links open, and the form that mails a reset link. */
  forgot: string;
  reset: string;
  verifyEmail: string;
  magic: string;
  /** An invitation to an organization, as mailed (docs/organizations.md). */
  invitation: string;
  /** The second factor of a sign-in, and the enrolment under `mfa: required` (docs/mfa.md). */
  mfa: string;
  mfaEnrol: string;
}

export function pathsOf(tenant: TenantContext): HostedPaths {
  const base = new URL(tenant.config.issuer).pathname.replace(/\/$/, '');
  return {
    authorize: `${base}/oauth2/authorize`,
    login: `${base}/login`,
    signUp: `${base}/login/sign-up`,
    consent: `${base}/login/consent`,
    endSession: `${base}/oauth2/end-session`,
    forgot: `${base}/login/forgot`,
    reset: `${base}/login/reset`,
    verifyEmail: `${base}/login/verify-email`,
    magic: `${base}/login/magic`,
    invitation: `${base}/login/invitation`,
    mfa: `${base}/login/mfa`,
    mfaEnrol: `${base}/login/mfa/enrol`,
  };
}

/**
 * The frame of a page for this request: locale (`ui_locales` > `Accept-Language` > en), tenant
 * branding, and the CSP allowances it needs: its inline style, the logo's origin and, when its
 * forms may end in a redirect to the client, `form-action` for the redirect URI's origin.
 */
export function frameFor(
  req: Request,
  res: Response,
  tenant: TenantContext,
  options: { uiLocales?: string | null | undefined; redirectUri?: string | undefined } = {},
): PageFrame {
  const locale = negotiateLocale(options.uiLocales, req.get('accept-language'));
  const branding = brandingOf(tenant.config);
  const logo = branding.logoUrl === undefined ? undefined : originOf(branding.logoUrl);
  const formTarget = options.redirectUri === undefined ? undefined : originOf(options.redirectUri);
  allowOnPage(res, {
    inlineStyles: [BASE_CSS + branding.css],
    images: logo === undefined ? [] : [logo],
    formAction: formTarget === undefined ? [] : [formTarget],
  });
  return { locale, messages: MESSAGES[locale], branding, title: '' };
}
