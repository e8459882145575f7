import { html, type SafeHtml } from '@hellojohn/http';
import type { PasskeyMessages } from '../passkey-messages';

/** What the passkey part of the sign-in page needs. */
export interface PasskeySignInView {
  /** `POST` target of the assertion (`/t/{tenant}/login/passkey`). */
  action: string;
  /** Where the script asks for request options (`/t/{tenant}/login/passkey/options`). */
  optionsUrl: string;
  tx: string;
  csrf: string;
}

/**
 * "Sign in with a passkey": shipped `hidden`, revealed by the passkey script when the browser
 * can use passkeys, so without JavaScript nobody sees a button that cannot work. The script posts
 * the assertion through this form, with the page's CSRF token.
 */
export function passkeySignInSection(m: PasskeyMessages, view: PasskeySignInView): SafeHtml {
  return html`<section
    id="passkey-sign-in"
    data-passkey="sign-in"
    data-options-url="${view.optionsUrl}"
    hidden
  >
    <form method="post" action="${view.action}" novalidate>
      <input type="hidden" name="tx" value="${view.tx}" />
      <input type="hidden" name="csrf" value="${view.csrf}" />
      <input type="hidden" name="response" value="" />
      <button type="button" class="secondary" id="passkey-sign-in-button" data-passkey-start>
        ${m.signInWithPasskey}
      </button>
    </form>
    <p
      class="error"
      id="passkey-sign-in-error"
      role="alert"
      tabindex="-1"
      data-passkey-error
      hidden
    >
      ${m.signInFailed}
    </p>
  </section>`;
}
