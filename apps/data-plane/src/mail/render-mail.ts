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

/**
 * Renders one mail: `variables` have been checked against the kind's schema by the caller. The
 * subject is one line whatever a tenant's name holds (no header folding surprises).
 */
export function renderMail(
  kind: MailKind,
  locale: string,
  variables: Record<string, unknown>,
  branding: MailBranding,
): RenderedMail {
  const lang = mailLocaleOf(locale);
  const t = templatesOf(kind, lang);
  const context = { ...variables, ...branding, lang };
  const subject = t
    .subject(context)
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  return {
    subject,
    text: t.text(context),
    html: layout({ ...context, subject, body: t.html(context) }),
  };
}
