/**
 * HTML that is safe to send: built by {@link html} (which escapes every interpolation) or marked
 * trusted on purpose with {@link raw}. HTML endpoints accept only this type, never a plain string,
 * so an unescaped concatenation cannot reach a page by accident.
 *
 * @example
 * function layout(title: string, body: SafeHtml): SafeHtml {
 *   return html`<!doctype html><title>${title}</title>${body}`;
 * }
 */
export class SafeHtml {
  readonly #html: string;

  /** @internal Use {@link html} or {@link raw}. */
  constructor(value: string) {
    this.#html = value;
  }

  /** True for values made by {@link html} or {@link raw}; a look-alike object is not enough. */
  static is(value: unknown): value is SafeHtml {
    return typeof value === 'object' && value !== null && #html in value;
  }

  toString(): string {
    return this.#html;
  }
}

/**
 * What may be interpolated into {@link html}. `false`, `null` and `undefined` render nothing, so
 * `${cond && html`...`}` works; arrays render their items one after another. Objects and `true`
 * are left out on purpose: their text is never what a page means to show.
 *
 * @example
 * const items: HtmlValue = errors.map((e) => html`<li>${e.message}</li>`);
 */
export type HtmlValue =
  string | number | SafeHtml | false | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for an HTML text node or a quoted attribute value (HTML Living Standard §13.1.2.3:
 * `"` and `'` end attribute values, `<` and `&` start markup and references).
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return '';
  if (SafeHtml.is(value)) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for server-rendered pages: every `${value}` is HTML-escaped unless it is itself
 * `SafeHtml`, so user input cannot inject markup. Quote every attribute (`value="${v}"`): an
 * unquoted attribute can be broken out of with a space. Escaping does not make a URL safe in
 * `href`/`src` (`javascript:` survives it); check URLs before rendering them.
 *
 * @example
 * const page = html`<p>Hello, ${user.name}</p><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Marks a trusted fragment as HTML without escaping it. Never pass anything that came from a
 * request, a database row or a tenant setting.
 *
 * @example
 * const page = html`<head>${raw('<meta name="robots" content="noindex">')}</head>`;
 */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}
