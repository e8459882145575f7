import { html, type SafeHtml } from '@hellojohn/http';
import { layout, type PageFrame } from './layout';

/** A page with a heading and one sentence: signed out, an expired form or request. */
export function noticePage(frame: PageFrame, heading: string, body: string): SafeHtml {
  return layout(
    { ...frame, title: heading },
    html`<h1>${heading}</h1>
      <p>${body}</p>`,
  );
}

export interface LogoutView {
  action: string;
  csrf: string;
  /** Carried through the confirmation to the POST. */
  fields: Readonly<Record<string, string | undefined>>;
}

/** RP-Initiated Logout §2: ask before ending a session the request may not speak for. */
export function logoutPage(frame: PageFrame, view: LogoutView): SafeHtml {
  const m = frame.messages;
  const hidden = Object.entries(view.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`);
  return layout(
    { ...frame, title: m.logoutTitle },
    html`<h1>${m.logoutTitle}</h1>
      <p>${m.logoutQuestion(frame.branding.name)}</p>
      <form method="post" action="${view.action}">
        <input type="hidden" name="csrf" value="${view.csrf}" />
        ${hidden}
        <button type="submit">${m.logoutButton}</button>
      </form>`,
  );
}
