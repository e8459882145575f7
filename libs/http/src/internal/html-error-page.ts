import type { Response } from 'express';
import { html, raw, type SafeHtml } from '../html';
import type { FieldError } from '../errors/app-error';
import { setHtmlHeaders, styleHash } from './html-headers';

/** What an HTML error page shows: nothing a problem document would hide. */
export interface ErrorPageView {
  status: number;
  title: string;
  code: string;
  /** Only for 4xx: a 5xx detail may carry internals. */
  detail?: string;
  errors?: readonly FieldError[];
  requestId?: string;
}

// Inline so the page needs no other route; allowed by its hash alone (CSP Level 3 hash-source),
// never by 'unsafe-inline'.
const CSS =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:3rem 1rem;color:#1b1b1b}' +
  'main{max-width:36rem;margin:auto}small{color:#555}';
const CSS_HASH = styleHash(CSS);
// Built outside the page template, so no formatter can add whitespace that breaks the hash.
const STYLE = raw(`<style>${CSS}</style>`);

function render(view: ErrorPageView): SafeHtml {
  const detail = view.detail && html`<p>${view.detail}</p>`;
  const errors = (view.errors ?? []).map(
    (error) => html`<li><code>${error.path}</code>: ${error.message}</li>`,
  );
  const list =
    errors.length > 0 &&
    html`<ul>
      ${errors}
    </ul>`;
  const requestId = view.requestId && html` · request id <code>${view.requestId}</code>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${view.status} ${view.title}</title>
        ${STYLE}
      </head>
      <body>
        <main>
          <h1>${view.title}</h1>
          ${detail} ${list}
          <p><small>Error ${view.status} (${view.code})${requestId}</small></p>
        </main>
      </body>
    </html>`;
}

/** Answers an error as a small HTML page, under the same strict CSP as every page. */
export function sendHtmlError(res: Response, view: ErrorPageView): void {
  setHtmlHeaders(res, [CSS_HASH]);
  res.status(view.status).send(render(view).toString());
}
