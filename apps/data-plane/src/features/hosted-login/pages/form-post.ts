import { html, raw, type SafeHtml } from '@hellojohn/http';
import { layout, type PageFrame } from './layout';

/** Submits the form on load; allowed by its hash. Without script the button does the same. */
export const AUTO_SUBMIT_JS = 'document.forms[0].submit()';

/**
 * OAuth 2.0 Form Post Response Mode: the response parameters as hidden fields of a form that
 * posts to the redirect URI, with a visible Continue button for browsers without script.
 */
export function formPostPage(
  frame: PageFrame,
  action: string,
  params: Readonly<Record<string, string>>,
): SafeHtml {
  const m = frame.messages;
  return layout(
    { ...frame, title: m.redirectTitle },
    html`<h1>${m.redirectTitle}</h1>
      <p>${m.redirectBody}</p>
      <form method="post" action="${action}">
        ${Object.entries(params).map(
          ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
        )}
        <button type="submit">${m.continue}</button>
      </form>
      ${raw(`<script>${AUTO_SUBMIT_JS}</script>`)}`,
  );
}
