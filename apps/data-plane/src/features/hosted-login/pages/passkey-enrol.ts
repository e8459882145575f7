import { html, type SafeHtml } from '@hellojohn/http';
import type { PasskeyMessages } from '../passkey-messages';
import { errorSummary, layout, type PageFrame } from './layout';

export interface PasskeyEnrolView {
  action: string;
  optionsUrl: string;
  tx: string;
  csrf: string;
  /** After a failed attempt: the error summary and the inline message. */
  failed: boolean;
  scripts: SafeHtml;
}

/**
 * The offer after sign-in or sign-up (FIDO: never in the middle of signing in): "Add a passkey"
 * and "Not now" come with the script; without it only "Continue" shows, which moves on.
 */
export function passkeyEnrolPage(
  frame: PageFrame,
  m: PasskeyMessages,
  view: PasskeyEnrolView,
): SafeHtml {
  const hidden = (name: string, value: string) =>
    html`<input type="hidden" name="${name}" value="${value}" />`;
  return layout(
    { ...frame, title: m.offerTitle, failed: view.failed },
    html`${errorSummary(
        frame.messages,
        view.failed ? [{ field: 'passkey-enrol-button', message: m.addFailed }] : [],
      )}
      <h1>${m.offerTitle}</h1>
      <p>${m.offerBody}</p>
      <section id="passkey-enrol" data-passkey="enrol" data-options-url="${view.optionsUrl}" hidden>
        <form method="post" action="${view.action}" novalidate>
          ${hidden('tx', view.tx)} ${hidden('csrf', view.csrf)} ${hidden('response', '')}
          <button type="button" id="passkey-enrol-button" data-passkey-start>
            ${m.addPasskey}
          </button>
          <button type="submit" class="secondary">${m.notNow}</button>
        </form>
        <p
          class="error"
          id="passkey-enrol-error"
          role="alert"
          tabindex="-1"
          data-passkey-error
          hidden
        >
          ${m.addFailed}
        </p>
      </section>
      <form method="post" action="${view.action}" novalidate data-passkey-without>
        ${hidden('tx', view.tx)} ${hidden('csrf', view.csrf)}
        <button type="submit">${frame.messages.continue}</button>
      </form>
      ${view.scripts}`,
  );
}

export interface PasskeyAddedView {
  action: string;
  tx: string;
  csrf: string;
  /** The user's new recovery codes when this passkey was their first second factor; shown once. */
  recoveryCodes: readonly string[] | undefined;
}

/** The passkey is registered: say so, show the recovery codes if any, and continue. */
export function passkeyAddedPage(
  frame: PageFrame,
  m: PasskeyMessages,
  view: PasskeyAddedView,
): SafeHtml {
  const codes = view.recoveryCodes ?? [];
  return layout(
    { ...frame, title: m.addedTitle },
    html`<h1>${m.addedTitle}</h1>
      <p role="status">${m.addedBody}</p>
      ${
        codes.length > 0 &&
        html`<h2 id="recovery-codes-label">${m.recoveryCodesLabel}</h2>
          <p>${m.recoveryCodesIntro}</p>
          <ul aria-labelledby="recovery-codes-label">
            ${codes.map((code) => html`<li><code>${code}</code></li>`)}
          </ul>`
      }
      <form method="post" action="${view.action}" novalidate>
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <button type="submit" autofocus>${frame.messages.continue}</button>
      </form>`,
  );
}
