import { html, type SafeHtml } from '@hellojohn/http';
import type { Response } from 'express';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { FieldError, PageFrame } from './pages/layout';
import { passkeySignInSection } from './pages/passkey-sign-in';
import { passkeyScripts } from './passkey-assets';
import { PASSKEY_MESSAGES } from './passkey-messages';
import { passkeyPathsOf } from './passkey-paths';

/** The sign-in page's passkey button (hidden until its script runs) and the script tags. */
export function passkeySignIn(
  res: Response,
  tenant: TenantContext,
  frame: PageFrame,
  form: { tx: string; csrf: string },
): SafeHtml {
  const paths = passkeyPathsOf(tenant);
  return html`${passkeySignInSection(PASSKEY_MESSAGES[frame.locale], {
    action: paths.signIn,
    optionsUrl: paths.signInOptions,
    ...form,
  })}
  ${passkeyScripts(res, tenant)}`;
}

/** Why a passkey sign-in sent the browser back (`?error=`), as the sign-in page's error. */
export function passkeySignInError(
  frame: PageFrame,
  error: 'passkey' | 'passkey_unverified',
): FieldError {
  const message =
    error === 'passkey_unverified'
      ? frame.messages.emailNotVerified
      : PASSKEY_MESSAGES[frame.locale].signInFailed;
  return { field: 'passkey-sign-in-button', message };
}

/** Where a sign-in or sign-up goes when a passkey is offered. */
export function passkeyOfferOf(tenant: TenantContext, handle: string): string {
  return `${passkeyPathsOf(tenant).enrol}?tx=${handle}`;
}
