import { html, type SafeHtml } from '@hellojohn/http';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';

export interface SignUpView {
  action: string;
  tx: string;
  csrf: string;
  email: string;
  name: string;
  minLength: number;
  signInHref: string;
  errors: readonly FieldError[];
  /** The passkey script's tags: it tells the server whether to offer a passkey after sign-up. */
  scripts?: SafeHtml | undefined;
}

/** The sign-up form: `email`, `password` (new-password, rule as hint), optional `name`. */
export function signUpPage(frame: PageFrame, view: SignUpView): SafeHtml {
  const m = frame.messages;
  const errorOf = (id: string) => view.errors.find((e) => e.field === id)?.message;
  const failed = view.errors.length > 0;
  return layout(
    { ...frame, title: m.signUpTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.signUpTitle}</h1>
      <form method="post" action="${view.action}" novalidate>
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <input type="hidden" name="passkeys" value="" />
        ${field({
          id: 'email',
          label: m.email,
          type: 'email',
          autocomplete: 'username',
          value: view.email,
          error: errorOf('email'),
          autofocus: !failed,
        })}
        ${field({
          id: 'password',
          label: m.newPassword,
          type: 'password',
          autocomplete: 'new-password',
          hint: m.passwordHint(view.minLength),
          error: errorOf('password'),
        })}
        ${field({
          id: 'name',
          label: m.name,
          type: 'text',
          autocomplete: 'name',
          value: view.name,
          error: errorOf('name'),
        })}
        <button type="submit">${m.continue}</button>
      </form>
      <p>${m.haveAccount} <a href="${view.signInHref}">${m.signInTitle}</a></p>
      ${view.scripts}`,
  );
}
