import { html, type SafeHtml } from '@hellojohn/http';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';

export interface MfaStepView {
  /** `POST` of every code form (`factor` says which). */
  action: string;
  /** `POST` that mails a code. */
  emailAction: string;
  tx: string;
  csrf: string;
  totp: boolean;
  recoveryCode: boolean;
  email: boolean;
  /** A code was mailed: its form is shown. */
  emailSent: boolean;
  /** The user has a passkey: the section's data for the passkey script (docs/hosted-login.md). */
  passkey?: { optionsUrl: string; failedText: string; scripts: SafeHtml } | undefined;
  /** Field ids: `totp_code`, `recovery_code`, `email_code`. */
  errors: readonly FieldError[];
}

/** The hidden fields every MFA form posts: the transaction, its CSRF token, and the factor. */
export function txFields(view: { tx: string; csrf: string }, factor?: string): SafeHtml {
  return html`<input type="hidden" name="tx" value="${view.tx}" />
    <input type="hidden" name="csrf" value="${view.csrf}" />
    ${factor !== undefined && html`<input type="hidden" name="factor" value="${factor}" />`}`;
}

/**
 * The second step of a sign-in: one form per method, all visible at once (a passkey never hides
 * the others). The passkey section ships `hidden`; the page script reveals it where WebAuthn
 * works and posts the assertion through its form (docs/hosted-login.md).
 */
export function mfaStepPage(frame: PageFrame, view: MfaStepView): SafeHtml {
  const m = frame.messages;
  const errorOf = (id: string) => view.errors.find((e) => e.field === id)?.message;
  const failed = view.errors.length > 0;
  const firstField = view.totp ? 'totp_code' : view.emailSent ? 'email_code' : 'recovery_code';
  const codeForm = (options: {
    factor: string;
    id: string;
    label: string;
    hint?: string;
    autocomplete: string;
    numeric: boolean;
  }) =>
    html`<form method="post" action="${view.action}" novalidate>
      ${txFields(view, options.factor)}
      ${field({
        id: options.id,
        label: options.label,
        hint: options.hint,
        type: 'text',
        autocomplete: options.autocomplete,
        error: errorOf(options.id),
        autofocus: !failed && firstField === options.id,
        ...(options.numeric ? { inputmode: 'numeric' as const } : {}),
      })}
      <button type="submit">${m.verify}</button>
    </form>`;
  const mailForm = (label: string, secondary: boolean) =>
    html`<form method="post" action="${view.emailAction}">
      ${txFields(view)}
      <button type="submit" ${secondary ? html`class="secondary"` : ''}>${label}</button>
    </form>`;
  return layout(
    { ...frame, title: m.mfaTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.mfaTitle}</h1>
      <p>${m.mfaIntro}</p>
      ${
        view.totp &&
        html`<section aria-labelledby="totp-heading">
          <h2 id="totp-heading">${m.totpHeading}</h2>
          ${codeForm({
            factor: 'totp',
            id: 'totp_code',
            label: m.totpLabel,
            hint: m.totpHint,
            autocomplete: 'one-time-code',
            numeric: true,
          })}
        </section>`
      }
      ${
        view.passkey &&
        html`<section
            id="passkey-factor"
            hidden
            aria-labelledby="passkey-heading"
            data-passkey="factor"
            data-options-url="${view.passkey.optionsUrl}"
          >
            <h2 id="passkey-heading">${m.passkeyHeading}</h2>
            <form method="post" action="${view.action}">
              ${txFields(view, 'webauthn')}
              <input type="hidden" name="response" value="" />
              <button type="button" data-passkey-start>${m.passkeyButton}</button>
            </form>
            <p class="error" role="alert" tabindex="-1" data-passkey-error hidden>
              ${view.passkey.failedText}
            </p>
          </section>
          ${view.passkey.scripts}`
      }
      ${
        view.email &&
        html`<section aria-labelledby="email-heading">
          <h2 id="email-heading">${m.emailCodeHeading}</h2>
          ${
            view.emailSent
              ? html`<p role="status">${m.emailCodeSent}</p>
                  ${codeForm({
                    factor: 'email_otp',
                    id: 'email_code',
                    label: m.emailCodeLabel,
                    autocomplete: 'one-time-code',
                    numeric: true,
                  })}
                  ${mailForm(m.emailCodeResend, true)}`
              : html`<p>${m.emailCodeIntro}</p>
                  ${mailForm(m.emailCodeSend, view.totp)}`
          }
        </section>`
      }
      ${
        view.recoveryCode &&
        html`<section aria-labelledby="recovery-heading">
          <h2 id="recovery-heading">${m.recoveryHeading}</h2>
          ${codeForm({
            factor: 'recovery_code',
            id: 'recovery_code',
            label: m.recoveryLabel,
            hint: m.recoveryHint,
            autocomplete: 'off',
            numeric: false,
          })}
        </section>`
      }`,
  );
}
