import { html, type SafeHtml } from '@hellojohn/http';
import type { FederatedMessages } from '../federated-messages';
import { errorSummary, field, layout, type FieldError, type PageFrame } from './layout';

/** One button of the sign-in page: a link to `/login/federated/{id}?tx=` (works without JS). */
export interface FederatedButton {
  href: string;
  /** The provider's own label, or "Continue with {name}". */
  label: string;
  /** An https image, shown decoratively before the label. */
  iconUrl: string | null;
}

/** The sign-in page's list of upstream providers, above the password form. */
export function federatedButtons(
  m: FederatedMessages,
  buttons: readonly FederatedButton[],
): SafeHtml | false {
  if (buttons.length === 0) return false;
  return html`<ul class="federated">
      ${buttons.map(
        (b) =>
          html`<li>
            <a class="button" href="${b.href}"
              >${b.iconUrl && html`<img src="${b.iconUrl}" alt="" width="20" height="20" /> `}${b.label}</a
            >
          </li>`,
      )}
    </ul>
    <p class="divider">${m.orDivider}</p>`;
}

export interface LinkAccountView {
  action: string;
  tx: string;
  csrf: string;
  /** The pending link's handle (hidden field `link`). */
  link: string;
  provider: string;
  email: string;
  errors: readonly FieldError[];
}

/** "Sign in with your password to link": the existing account's email fixed, its password asked. */
export function linkAccountPage(
  frame: PageFrame,
  m: FederatedMessages,
  view: LinkAccountView,
): SafeHtml {
  const errorOf = (id: string) => view.errors.find((e) => e.field === id)?.message;
  return layout(
    { ...frame, title: m.linkTitle, failed: view.errors.length > 0 },
    html`${errorSummary(frame.messages, view.errors)}
      <h1>${m.linkTitle}</h1>
      <p>${m.linkIntro(view.provider, view.email)}</p>
      <form method="post" action="${view.action}" novalidate>
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <input type="hidden" name="link" value="${view.link}" />
        <input type="hidden" name="email" value="${view.email}" autocomplete="username" />
        ${field({
          id: 'password',
          label: frame.messages.password,
          type: 'password',
          autocomplete: 'current-password',
          error: errorOf('password'),
          autofocus: true,
        })}
        <button type="submit">${m.linkButton}</button>
      </form>`,
  );
}

/** A federated sign-in that failed (denied upstream, bad state, disabled provider): never a 500. */
export function federationErrorPage(
  frame: PageFrame,
  m: FederatedMessages,
  view: { body: string; backHref: string | undefined },
): SafeHtml {
  return layout(
    { ...frame, title: m.failedTitle },
    html`<h1>${m.failedTitle}</h1>
      <p>${view.body}</p>
      ${view.backHref && html`<p><a href="${view.backHref}">${m.backToSignIn}</a></p>`}`,
  );
}
