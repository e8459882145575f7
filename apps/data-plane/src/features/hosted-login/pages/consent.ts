import { html, type SafeHtml } from '@hellojohn/http';
import { layout, type PageFrame } from './layout';

export interface ConsentView {
  action: string;
  tx: string;
  csrf: string;
  clientName: string;
  /** Only an https logo is shown. */
  clientLogo: string | undefined;
  redirectHost: string;
  scopes: readonly string[];
  /** The requested scopes of an API resource that it describes: `{description, api}`. */
  apiScopes?: Readonly<Record<string, { description: string; api: string }>>;
  email: string;
  /** Restarts the login as someone else (ends this browser session first). */
  notYouAction: string;
}

/** Consent (Keycloak oauth-grant): who asks, for what, where you go next; Allow and Deny. */
export function consentPage(frame: PageFrame, view: ConsentView): SafeHtml {
  const m = frame.messages;
  const sentences = view.scopes.map((scope) => {
    const api = view.apiScopes?.[scope];
    return m.scope[scope] ?? (api ? m.apiScope(api.description, api.api) : m.otherScope(scope));
  });
  return layout(
    { ...frame, title: m.consentTitle(view.clientName) },
    html`${view.clientLogo && html`<img src="${view.clientLogo}" alt="" height="48" />`}
      <h1>${m.consentTitle(view.clientName)}</h1>
      <p>${m.consentSignedInAs(view.email)}</p>
      <form method="post" action="${view.notYouAction}">
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <button type="submit" name="decision" value="switch" class="secondary">${m.notYou}</button>
      </form>
      ${
        sentences.length > 0 &&
        html`<p>${m.consentWill}</p>
          <ul>
            ${sentences.map((s) => html`<li>${s}</li>`)}
          </ul>`
      }
      <p>${m.consentRedirect(view.redirectHost)}</p>
      <form method="post" action="${view.action}">
        <input type="hidden" name="tx" value="${view.tx}" />
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <button type="submit" name="decision" value="allow">${m.allow}</button>
        <button type="submit" name="decision" value="deny" class="secondary">${m.deny}</button>
      </form>`,
  );
}
