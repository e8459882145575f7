import { html, type SafeHtml } from '@hellojohn/http';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';

/** What every form of these pages posts back besides its fields. */
export interface FormBase {
  action: string;
  csrf: string;
  /** The authorization transaction to continue afterwards, when the user came from one. */
  tx: string | undefined;
}

const hiddenBase = (view: FormBase) =>
  html`<input type="hidden" name="csrf" value="${view.csrf}" />
    ${view.tx && html`<input type="hidden" name="tx" value="${view.tx}" />`}`;

/** "Forgot your password?": one email field; the answer never says whether it has an account. */
export function forgotPage(
  frame: PageFrame,
  view: FormBase & { email: string; errors: readonly FieldError[] },
): SafeHtml {
  const m = frame.messages;
  const failed = view.errors.length > 0;
  return layout(
    { ...frame, title: m.forgotTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.forgotTitle}</h1>
      <p>${m.forgotIntro}</p>
      <form method="post" action="${view.action}" novalidate>
        ${hiddenBase(view)}
        ${field({
          id: 'email',
          label: m.email,
          type: 'email',
          autocomplete: 'username',
          value: view.email,
          error: view.errors.find((e) => e.field === 'email')?.message,
          autofocus: !failed,
        })}
        <button type="submit">${m.sendLink}</button>
      </form>`,
  );
}

/**
 * The new-password form of a reset link. The account's address rides along as a read-only
 * `username` field so password managers store the new password under the right account.
 */
export function resetPage(
  frame: PageFrame,
  view: FormBase & {
    token: string;
    email: string;
    minLength: number;
    errors: readonly FieldError[];
  },
): SafeHtml {
  const m = frame.messages;
  const failed = view.errors.length > 0;
  return layout(
    { ...frame, title: m.resetTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.resetTitle}</h1>
      <form method="post" action="${view.action}" novalidate>
        ${hiddenBase(view)}
        <input type="hidden" name="token" value="${view.token}" />
        <div>
          <label for="username">${m.email}</label>
          <input
            id="username"
            name="username"
            type="email"
            autocomplete="username"
            readonly
            value="${view.email}"
          />
        </div>
        ${field({
          id: 'password',
          label: m.newPassword,
          type: 'password',
          autocomplete: 'new-password',
          hint: m.passwordHint(view.minLength),
          error: view.errors.find((e) => e.field === 'password')?.message,
          autofocus: true,
        })}
        <button type="submit">${m.continue}</button>
      </form>`,
  );
}

/**
 * One button that spends a mailed link (verify, sign in): a GET only shows it, because mail
 * scanners and link previews fetch links before the reader does.
 */
export function confirmLinkPage(
  frame: PageFrame,
  view: FormBase & { token: string; heading: string; body: string; button: string },
): SafeHtml {
  return layout(
    { ...frame, title: view.heading },
    html`<h1>${view.heading}</h1>
      <p>${view.body}</p>
      <form method="post" action="${view.action}">
        ${hiddenBase(view)}
        <input type="hidden" name="token" value="${view.token}" />
        <button type="submit">${view.button}</button>
      </form>`,
  );
}

/** A heading, one sentence and, when there is somewhere to go, a link. */
export function outcomePage(
  frame: PageFrame,
  view: { heading: string; body: string; link?: { href: string; text: string } | undefined },
): SafeHtml {
  return layout(
    { ...frame, title: view.heading },
    html`<h1>${view.heading}</h1>
      <p role="status">${view.body}</p>
      ${view.link && html`<p><a href="${view.link.href}">${view.link.text}</a></p>`}`,
  );
}
