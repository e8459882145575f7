/**
 * A tiny browser without JavaScript, for driving the hosted login pages from tests: fetch with
 * `redirect: 'manual'`, a cookie jar, redirects followed like a browser follows them, and forms
 * submitted like a browser submits them. It exists so that the e2e suites prove the pages work
 * with JavaScript disabled, the way a real user agent would use them, without a headless browser.
 */

export interface BrowserPage {
  url: string;
  status: number;
  headers: Headers;
  html: string;
}

export interface FormBrowser {
  /**
   * GET `url`, storing and sending cookies per origin, following 301/302/303/307/308 redirects
   * across origins; a redirect whose Location starts with `stopAt` is not followed: the page
   * returned is that redirect (status 30x, headers incl. location). `headers` go with every
   * request of the chain, like a user agent's own headers.
   */
  open(
    url: string,
    options?: { stopAt?: string; headers?: Record<string, string> },
  ): Promise<BrowserPage>;
  /**
   * Submits a form of `page` like a browser: the first <form>, or the one whose action ends with
   * `options.action`; its hidden and pre-filled inputs, overridden by `fields`; the submit button
   * `options.button` if given (else, like pressing Enter, the form's first submit button when it
   * has a name); method POST (application/x-www-form-urlencoded) or GET per the form; the action
   * resolved against page.url; sends `Origin` of the page like Chromium does; then follows
   * redirects like `open`.
   */
  submit(
    page: BrowserPage,
    fields: Record<string, string>,
    options?: { action?: string; button?: { name: string; value: string }; stopAt?: string },
  ): Promise<BrowserPage>;
  /** The cookies (name=value) this browser would send to `url`. */
  cookies(url: string): string[];
}

interface Cookie {
  name: string;
  value: string;
  path: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expires: number | undefined;
}

interface Tag {
  name: string;
  closing: boolean;
  attributes: Map<string, string>;
  /** Offsets of the tag in the HTML: where it starts and where the text after it starts. */
  start: number;
  end: number;
}

interface Submitter {
  name: string | undefined;
  value: string;
  formAction: string | undefined;
  formMethod: string | undefined;
}

interface ParsedForm {
  action: string | undefined;
  method: string;
  fields: [string, string][];
  submitters: Submitter[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export function createFormBrowser(): FormBrowser {
  /** The jar: origin -> cookies. Keyed by origin (scheme, host and port) to keep planes apart. */
  const jar = new Map<string, Cookie[]>();

  function live(origin: string): Cookie[] {
    const now = Date.now();
    const cookies = (jar.get(origin) ?? []).filter(
      (c) => c.expires === undefined || c.expires > now,
    );
    jar.set(origin, cookies);
    return cookies;
  }

  function cookiesFor(url: string): string[] {
    const target = new URL(url);
    return live(target.origin)
      .filter((c) => pathMatches(target.pathname, c.path))
      .sort((x, y) => y.path.length - x.path.length)
      .map((c) => `${c.name}=${c.value}`);
  }

  function store(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const cookie = parseSetCookie(line, url);
      if (!cookie) continue;
      const cookies = live(url.origin).filter(
        (c) => !(c.name === cookie.name && c.path === cookie.path),
      );
      if (cookie.expires === undefined || cookie.expires > Date.now()) cookies.push(cookie);
      jar.set(url.origin, cookies);
    }
  }

  async function navigate(
    first: { url: string; method: string; body?: string; contentType?: string; origin?: string },
    stopAt: string | undefined,
    extra: Record<string, string> = {},
  ): Promise<BrowserPage> {
    let { url, method, body, contentType, origin } = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { accept: 'text/html,*/*;q=0.8', ...extra };
      const cookie = cookiesFor(url);
      if (cookie.length > 0) headers.cookie = cookie.join('; ');
      if (origin !== undefined) headers.origin = origin;
      if (body !== undefined && contentType !== undefined) headers['content-type'] = contentType;
      const res = await fetch(url, { method, headers, body, redirect: 'manual' });
      const current = new URL(url);
      store(current, res.headers);
      const html = await res.text();
      const page: BrowserPage = { url, status: res.status, headers: res.headers, html };
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || location === null) return page;
      const next = new URL(location, current);
      if (stopAt !== undefined && (location.startsWith(stopAt) || next.href.startsWith(stopAt)))
        return page;
      // A browser does not follow a redirect to a scheme it cannot fetch (a native app's URI).
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return page;
      if (res.status === 307 || res.status === 308) {
        // Method and body are kept; a cross-origin hop makes the Origin opaque (Fetch §4.4).
        if (origin !== undefined && next.origin !== current.origin) origin = 'null';
      } else if (res.status === 303 || method === 'POST') {
        method = 'GET';
        body = undefined;
        contentType = undefined;
        origin = undefined;
      }
      url = next.href;
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${first.url}`);
  }

  return {
    open(url, options = {}) {
      return navigate({ url, method: 'GET' }, options.stopAt, options.headers);
    },

    async submit(page, fields, options = {}) {
      const forms = parseForms(page.html);
      const form =
        options.action === undefined
          ? forms[0]
          : forms.find((f) => (f.action ?? '').endsWith(options.action ?? ''));
      if (!form)
        throw new Error(
          `no form${options.action === undefined ? '' : ` with action …${options.action}`} on ${page.url} (status ${page.status}):\n${page.html.slice(0, 2000)}`,
        );
      const button = options.button;
      const submitter = button
        ? form.submitters.find((s) => s.name === button.name && s.value === button.value)
        : form.submitters[0];
      const entries = form.fields.slice();
      for (const [name, value] of Object.entries(fields)) {
        const index = entries.findIndex(([n]) => n === name);
        if (index === -1) entries.push([name, value]);
        else {
          entries[index] = [name, value];
          // A field given in `fields` replaces every pre-filled one of that name.
          for (let i = entries.length - 1; i > index; i--)
            if (entries[i]?.[0] === name) entries.splice(i, 1);
        }
      }
      if (options.button) entries.push([options.button.name, options.button.value]);
      else if (submitter?.name) entries.push([submitter.name, submitter.value]);
      const method =
        (submitter?.formMethod ?? form.method).toUpperCase() === 'POST' ? 'POST' : 'GET';
      const target = new URL(submitter?.formAction ?? form.action ?? '', page.url);
      target.hash = '';
      const encoded = new URLSearchParams(entries).toString();
      if (method === 'GET') {
        target.search = encoded;
        return navigate({ url: target.href, method }, options.stopAt);
      }
      return navigate(
        {
          url: target.href,
          method,
          body: encoded,
          contentType: 'application/x-www-form-urlencoded',
          origin: new URL(page.url).origin,
        },
        options.stopAt,
      );
    },

    cookies: cookiesFor,
  };
}

/** RFC 6265 §5.1.4. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.4: the default path is the request path up to its last slash. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

/** RFC 6265 §5.2, the attributes that matter to a loopback test browser. */
function parseSetCookie(line: string, url: URL): Cookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq < 1) return undefined;
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: defaultPath(url),
    expires: undefined,
  };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires') {
      const when = Date.parse(value);
      if (!Number.isNaN(when)) cookie.expires = when;
    }
  }
  // Max-Age wins over Expires (§5.3 step 3); zero or less deletes the cookie.
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
  return cookie;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    // The first occurrence of an attribute wins, as in the HTML tokenizer.
    if (attributes.has(name)) continue;
    attributes.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

/** The tags of `html`, skipping comments and the contents of script, style and textarea. */
function tokenize(html: string): Tag[] {
  const tags: Tag[] = [];
  const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let match: RegExpExecArray | null;
  while ((match = TAG.exec(html)) !== null) {
    if (match[2] === undefined) continue;
    const name = match[2].toLowerCase();
    const closing = match[1] === '/';
    const tag: Tag = {
      name,
      closing,
      attributes: closing ? new Map() : parseAttributes((match[3] ?? '').replace(/\/\s*$/, '')),
      start: match.index,
      end: TAG.lastIndex,
    };
    tags.push(tag);
    if (!closing && (name === 'script' || name === 'style' || name === 'textarea')) {
      // Raw text: jump to the matching end tag so markup inside is not read as tags.
      const close = html.toLowerCase().indexOf(`</${name}`, TAG.lastIndex);
      if (close === -1) break;
      TAG.lastIndex = close;
    }
  }
  return tags;
}

function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  let form: ParsedForm | undefined;
  let select:
    | { name: string; disabled: boolean; options: { value: string; selected: boolean }[] }
    | undefined;
  let option: { value: string | undefined; textStart: number } | undefined;
  const tags = tokenize(html);

  const endOption = (at: number) => {
    if (!option || !select) return;
    const value =
      option.value ?? decodeEntities(html.slice(option.textStart, at)).replace(/\s+/g, ' ').trim();
    const last = select.options.at(-1);
    if (last) last.value = value;
    option = undefined;
  };

  for (const [i, tag] of tags.entries()) {
    const attr = tag.attributes;
    if (tag.name === 'form') {
      if (tag.closing) {
        if (form) forms.push(form);
        form = undefined;
      } else if (!form) {
        form = {
          action: attr.get('action'),
          method: (attr.get('method') ?? 'get').toLowerCase(),
          fields: [],
          submitters: [],
        };
      }
      continue;
    }
    if (!form) continue;
    const name = attr.get('name');
    const disabled = attr.has('disabled');
    if (tag.name === 'input' && !tag.closing) {
      const type = (attr.get('type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'image') {
        if (!disabled)
          form.submitters.push({
            name,
            value: attr.get('value') ?? '',
            formAction: attr.get('formaction'),
            formMethod: attr.get('formmethod'),
          });
        continue;
      }
      if (!name || disabled || type === 'button' || type === 'reset' || type === 'file') continue;
      if ((type === 'checkbox' || type === 'radio') && !attr.has('checked')) continue;
      const fallback = type === 'checkbox' || type === 'radio' ? 'on' : '';
      form.fields.push([name, attr.get('value') ?? fallback]);
    } else if (tag.name === 'button' && !tag.closing) {
      const type = (attr.get('type') ?? 'submit').toLowerCase();
      if (type === 'submit' && !disabled)
        form.submitters.push({
          name,
          value: attr.get('value') ?? '',
          formAction: attr.get('formaction'),
          formMethod: attr.get('formmethod'),
        });
    } else if (tag.name === 'textarea' && !tag.closing) {
      const close = tags[i + 1];
      const text = html.slice(tag.end, close?.name === 'textarea' ? close.start : tag.end);
      if (name && !disabled) form.fields.push([name, decodeEntities(text.replace(/^\r?\n/, ''))]);
    } else if (tag.name === 'select') {
      if (!tag.closing) {
        select = { name: name ?? '', disabled, options: [] };
        continue;
      }
      endOption(tag.start);
      if (select && select.name && !select.disabled) {
        const chosen = select.options.find((o) => o.selected) ?? select.options[0];
        if (chosen) form.fields.push([select.name, chosen.value]);
      }
      select = undefined;
    } else if (tag.name === 'option' && select) {
      endOption(tag.start);
      if (!tag.closing) {
        select.options.push({ value: '', selected: attr.has('selected') });
        option = { value: attr.get('value'), textStart: tag.end };
      }
    }
  }
  if (form) forms.push(form);
  return forms;
}

/** The forms of a page, for assertions about what a page offers (exported for tests). */
export function formsOf(
  html: string,
): { action: string | undefined; method: string; fields: [string, string][] }[] {
  return parseForms(html).map(({ action, method, fields }) => ({ action, method, fields }));
}
