import { html, type SafeHtml } from '@hellojohn/http';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';

export interface SignInView {
  action: string;
  tx: string;
  csrf: string;
  clientName: string;
  email: string;
  /** The "Forgot your password?" page, carrying the transaction. */
  forgotHref: string;
  /** The sign-up page's URL, when the tenant allows sign-up. */
  signUpHref: string | undefined;
  errors: readonly FieldError[];
  /** A credential failure marks both fields, with one message in the summary (docs/hosted-login.md). */
  credentialError: boolean;
  notice?: string | undefined;
  /**
   * The passkey button (shipped hidden, revealed by its script) and the script tags; the email
   * field offers passkeys in autofill either way (`username webauthn`).
   */
  passkey?: SafeHtml | undefined;
  /** One button per enabled upstream identity provider (docs/federation.md), above the form. */
  federated?: SafeHtml | false | undefined;
}

/** The sign-in form: `email`, `password`, hidden `tx` and `csrf` (the contract's field names). */
export function signInPage(frame: PageFrame, view: SignInView): SafeHtml {
  const m = frame.messages;
  const errorOf = (id: string) => view.errors.find((e) => e.field === id)?.message;
  const failed = view.errors.length > 0;
  return layout(
    { ...frame, title: m.signInTitle, failed },
    html`${errorSummary(m, view.errors)}
      <h1>${m.signInTitle}</h1>
      <p>${m.signInTo(view.clientName)}</p>
      ${view.notice && html`<p role="status">${view.notice}</p>`} ${view.federated}
      <form method="post" action="${view.action}" novalidate>
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <input type="hidden" name="passkeys" value="" />
        ${field({
          id: 'email',
          label: m.email,
          type: 'email',
          autocomplete: 'username webauthn',
          value: view.email,
          error: view.credentialError ? undefined : errorOf('email'),
          invalid: view.credentialError,
          autofocus: !failed && view.email === '',
        })}
        ${field({
          id: 'password',
          label: m.password,
          type: 'password',
          autocomplete: 'current-password',
          error: view.credentialError ? undefined : errorOf('password'),
          invalid: view.credentialError,
          autofocus: !failed && view.email !== '',
        })}
        <button type="submit">${m.continue}</button>
      </form>
      ${view.passkey}
      <p><a href="${view.forgotHref}">${m.forgotPassword}</a></p>
      ${
        view.signUpHref &&
        html`<p>${m.noAccount} <a href="${view.signUpHref}">${m.createAccount}</a></p>`
      }`,
  );
}
