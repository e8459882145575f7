import { html, raw, type SafeHtml } from '@hellojohn/http';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';
import { txFields } from './mfa-step';

export interface MfaEnrolView {
  action: string;
  /** `POST` that mails the code enrolling the email factor. */
  emailAction: string;
  /** The authenticator-app setup page (from the email form, back to it). */
  totpHref: string;
  tx: string;
  csrf: string;
  /** The authenticator app being set up; absent on the email code form. */
  totp?: { factorId: string; secret: string; qrSvg: string } | undefined;
  /** The email factor may be enrolled instead (a verified address, not the first factor). */
  emailOffered: boolean;
  /** The enrolment code was mailed: show its form instead of the authenticator's. */
  emailSent: boolean;
  /** Field ids: `totp_code`, `email_code`. */
  errors: readonly FieldError[];
}

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * `mfa: required` (or a request for multi-factor) and no factor yet: set up an authenticator app
 * (QR code drawn on the server, the key in text for typing), or email codes as the alternative.
 */
export function mfaEnrolPage(frame: PageFrame, view: MfaEnrolView): SafeHtml {
  const m = frame.messages;
  const errorOf = (id: string) => view.errors.find((e) => e.field === id)?.message;
  const failed = view.errors.length > 0;
  const { totp } = view;
  const totpSection =
    totp &&
    html`<section aria-labelledby="totp-heading">
      <h2 id="totp-heading">${m.totpHeading}</h2>
      <p>${m.enrolScan}</p>
      <figure class="qr" role="img" aria-label="${m.enrolScan}">${raw(totp.qrSvg)}</figure>
      <p>${m.enrolManual}</p>
      <p><code id="totp-secret">${grouped(totp.secret)}</code></p>
      <form method="post" action="${view.action}" novalidate>
        ${txFields(view, 'totp')}
        <input type="hidden" name="factor_id" value="${totp.factorId}" />
        ${field({
          id: 'totp_code',
          label: m.totpLabel,
          hint: m.totpHint,
          type: 'text',
          autocomplete: 'one-time-code',
          inputmode: 'numeric',
          error: errorOf('totp_code'),
          autofocus: !failed,
        })}
        <button type="submit">${m.verify}</button>
      </form>
    </section>`;
  const emailSection = view.emailSent
    ? html`<section aria-labelledby="email-heading">
        <h2 id="email-heading">${m.enrolEmailHeading}</h2>
        <p role="status">${m.enrolEmailSent}</p>
        <form method="post" action="${view.action}" novalidate>
          ${txFields(view, 'email_otp')}
          ${field({
            id: 'email_code',
            label: m.emailCodeLabel,
            type: 'text',
            autocomplete: 'one-time-code',
            inputmode: 'numeric',
            error: errorOf('email_code'),
            autofocus: !failed,
          })}
          <button type="submit">${m.verify}</button>
        </form>
        <p><a href="${view.totpHref}">${m.totpHeading}</a></p>
      </section>`
    : view.emailOffered &&
      html`<section aria-labelledby="email-heading">
        <h2 id="email-heading">${m.enrolEmailHeading}</h2>
        <p>${m.enrolEmailIntro}</p>
        <form method="post" action="${view.emailAction}">
          ${txFields(view)}
          <button type="submit" class="secondary">${m.enrolEmailButton}</button>
        </form>
      </section>`;
  return layout(
    { ...frame, title: m.enrolTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.enrolTitle}</h1>
      <p>${m.enrolIntro(frame.branding.name)}</p>
      ${totpSection} ${emailSection}`,
  );
}

export interface RecoveryCodesView {
  action: string;
  tx: string;
  csrf: string;
  codes: readonly string[];
}

/** The ten recovery codes, shown once, then "I have saved them" continues the sign-in. */
export function recoveryCodesPage(frame: PageFrame, view: RecoveryCodesView): SafeHtml {
  const m = frame.messages;
  return layout(
    { ...frame, title: m.recoveryCodesTitle },
    html`<h1>${m.recoveryCodesTitle}</h1>
      <p>${m.recoveryCodesBody}</p>
      <ul class="codes" aria-label="${m.recoveryCodesTitle}">
        ${view.codes.map((code) => html`<li><code>${code}</code></li>`)}
      </ul>
      <form method="post" action="${view.action}">
        ${txFields(view)}
        <button type="submit">${m.recoveryCodesSaved}</button>
      </form>`,
  );
}
