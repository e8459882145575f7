import { html, raw, type SafeHtml } from '@hellojohn/http';
import type { Branding } from '../branding';
import type { Locale, Messages } from '../messages';

/**
 * One stylesheet for every hosted page, inline and allowed by its hash: system fonts, light and
 * dark, 3px focus ring, 44px targets (docs/hosted-login.md).
 */
export const BASE_CSS =
  ':root{color-scheme:light dark;--hj-primary:#1d4ed8;--hj-on-primary:#ffffff}' +
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem}' +
  'main{max-width:26rem;margin:auto}header{margin-bottom:1.5rem}header img{height:40px}' +
  'label{display:block;font-weight:600;margin-top:1rem}' +
  'input[type=email],input[type=password],input[type=text]{box-sizing:border-box;width:100%;' +
  'min-height:44px;font:inherit;padding:.5rem;margin-top:.25rem;border:2px solid currentColor}' +
  'button{min-height:44px;font:inherit;font-weight:600;padding:.5rem 1.25rem;margin:1.25rem .5rem 0 0;' +
  'border:2px solid var(--hj-primary);background:var(--hj-primary);color:var(--hj-on-primary)}' +
  'button.secondary{background:transparent;color:inherit}' +
  ':focus-visible{outline:3px solid #fd0;outline-offset:2px}' +
  '.error{color:#d4351c;font-weight:600;margin:.25rem 0 0}' +
  '.summary{border:4px solid #d4351c;padding:1rem;margin-bottom:1.5rem}' +
  '.summary h2{margin-top:0}.hint{color:GrayText;margin:.25rem 0 0}' +
  '.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
  '@media (prefers-reduced-motion:reduce){*{transition:none!important}}';

export interface PageFrame {
  locale: Locale;
  messages: Messages;
  branding: Branding;
  title: string;
  /** True after a failed submit: the title starts with "Error: " (GOV.UK). */
  failed?: boolean;
}

/** The skeleton of every hosted page: `lang`, title "Page – Tenant", logo or name, one `main`. */
export function layout(frame: PageFrame, body: SafeHtml): SafeHtml {
  const { branding } = frame;
  const title = `${frame.failed ? `${frame.messages.errorPrefix} ` : ''}${frame.title} – ${branding.name}`;
  const logo = branding.logoUrl
    ? html`<img src="${branding.logoUrl}" alt="${branding.name}" />`
    : html`<strong>${branding.name}</strong>`;
  // Built as one string outside the template, so its hash is of exactly these bytes.
  const style = raw(`<style>${BASE_CSS}${branding.css}</style>`);
  return html`<!doctype html>
    <html lang="${frame.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        ${style}
      </head>
      <body>
        <header>${logo}</header>
        <main>${body}</main>
      </body>
    </html>`;
}

export interface FieldError {
  /** The input's id, which the summary links to. */
  field: string;
  message: string;
}

/** GOV.UK error summary: first in `main`, focused without script, one link per error. */
export function errorSummary(messages: Messages, errors: readonly FieldError[]): SafeHtml | false {
  if (errors.length === 0) return false;
  return html`<div class="summary" role="alert" tabindex="-1" autofocus>
    <h2>${messages.errorSummary}</h2>
    <ul>
      ${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}
    </ul>
  </div>`;
}

/** A labelled input with its hint and inline error, wired by `aria-describedby`. */
export function field(options: {
  id: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  value?: string;
  hint?: string;
  error?: string;
  invalid?: boolean;
  autofocus?: boolean;
  /** `numeric` for one-time codes: the digit keypad, without the number input's spinner. */
  inputmode?: 'numeric';
}): SafeHtml {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const invalid = options.invalid === true || options.error !== undefined;
  const text = options.type === 'email' || options.type === 'text';
  return html`<div>
    <label for="${options.id}">${options.label}</label>
    ${options.hint && html`<p class="hint" id="${hintId}">${options.hint}</p>`}
    ${
      options.error &&
      html`<p class="error" id="${errorId}">
        <span class="visually-hidden">Error:</span> ${options.error}
      </p>`
    }
    <input
      id="${options.id}"
      name="${options.id}"
      type="${options.type}"
      autocomplete="${options.autocomplete}"
      ${raw(text ? 'spellcheck="false" autocapitalize="none"' : '')}
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
      ${invalid ? raw('aria-invalid="true"') : ''}
      ${options.autofocus ? raw('autofocus') : ''}
      ${options.inputmode ? raw(`inputmode="${options.inputmode}"`) : ''}
      value="${options.value ?? ''}"
    />
  </div>`;
}
