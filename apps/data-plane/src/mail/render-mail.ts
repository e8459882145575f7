import {
  mailTemplateIssues,
  type MailTemplateOverrides,
  type MailTemplatePart,
} from '@hellojohn/config';
import Handlebars from 'handlebars';
import {
  BUTTON_PARTIAL,
  HTML_LAYOUT,
  MAIL_KINDS,
  MAIL_LOCALES,
  type MailKind,
  type MailLocale,
} from './templates';
import type { MailBranding } from './mail-branding';

/** A mail ready for a transport. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = (context: Record<string, unknown>) => string;

// An environment of our own: partials registered here never leak into another user of Handlebars.
const engine = Handlebars.create();
engine.registerPartial('button', BUTTON_PARTIAL);
// `strict`: a template naming a variable its kind does not give fails loudly instead of rendering
// an empty link. HTML templates escape every `{{value}}` (Handlebars' default); subject and text
// are not HTML, so they are compiled with `noEscape`.
const compileHtml = (source: string): Compiled => engine.compile(source, { strict: true });
const compilePlain = (source: string): Compiled =>
  engine.compile(source, { strict: true, noEscape: true });

const layout = compileHtml(HTML_LAYOUT);
const compiled = new Map<string, { subject: Compiled; text: Compiled; html: Compiled }>();

function templatesOf(kind: MailKind, locale: MailLocale) {
  const key = `${kind}:${locale}`;
  let entry = compiled.get(key);
  if (!entry) {
    const source = MAIL_KINDS[kind].templates[locale];
    entry = {
      subject: compilePlain(source.subject),
      text: compilePlain(source.text),
      html: compileHtml(source.html),
    };
    compiled.set(key, entry);
  }
  return entry;
}

/**
 * The template language for a requested locale (a BCP 47 tag such as `es-AR`, from
 * `ui_locales`/`Accept-Language` or the user's profile): its primary subtag when we have it,
 * else English.
 */
function mailLocaleOf(requested: string): MailLocale {
  const primary = requested.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (MAIL_LOCALES as readonly string[]).includes(primary)
    ? (primary as MailLocale)
    : MAIL_LOCALES[0];
}

/** A tenant's template part that could not be used: the built-in one was used instead. */
export interface TemplateOverrideFailure {
  locale: MailLocale;
  part: MailTemplatePart;
  error: string;
}

// Tenants' sources live in an environment with no partial and only Handlebars' own helpers;
// `mailTemplateIssues` already refused everything but variables and #if/#unless, this is the
// second lock. Prototype access stays off (the Handlebars 4.6+ default).
const tenantEngine = Handlebars.create();
const TENANT_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { if: true, unless: true },
} as const;
const MAX_CACHED = 500;
const tenantCompiled = new Map<string, Compiled>();

function tenantTemplate(kind: MailKind, part: MailTemplatePart, source: string): Compiled {
  const key = `${kind}\u0000${part}\u0000${source}`;
  const hit = tenantCompiled.get(key);
  if (hit) return hit;
  const issues = mailTemplateIssues(kind, source);
  if (issues.length > 0) throw new Error(issues.join('; '));
  const fn = tenantEngine.compile(source, {
    ...TENANT_OPTIONS,
    noEscape: part !== 'html',
  }) as Compiled;
  if (tenantCompiled.size >= MAX_CACHED) {
    const oldest = tenantCompiled.keys().next().value;
    if (oldest !== undefined) tenantCompiled.delete(oldest);
  }
  tenantCompiled.set(key, fn);
  return fn;
}

/**
 * Renders one mail: `variables` have been checked against the kind's schema by the caller. The
 * subject is one line whatever a tenant's name holds (no header folding surprises). A part the
 * tenant overrides (settings `mail.templates`, docs/mail.md) is rendered from its source; one
 * that fails falls back to the built-in part and is reported through `onOverrideFailure`.
 */
export function renderMail(
  kind: MailKind,
  locale: string,
  variables: Record<string, unknown>,
  branding: MailBranding,
  overrides: MailTemplateOverrides | null = null,
  onOverrideFailure?: (failure: TemplateOverrideFailure) => void,
): RenderedMail {
  const lang = mailLocaleOf(locale);
  const t = templatesOf(kind, lang);
  const context = { ...variables, ...branding, lang };
  const own = overrides?.[kind]?.[lang];
  const render = (part: MailTemplatePart): string => {
    const source = own?.[part];
    if (source !== undefined) {
      try {
        return tenantTemplate(kind, part, source)(context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        onOverrideFailure?.({ locale: lang, part, error: message.slice(0, 500) });
      }
    }
    return t[part](context);
  };
  const subject = render('subject')
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  return {
    subject,
    text: render('text'),
    html: layout({ ...context, subject, body: render('html') }),
  };
}
