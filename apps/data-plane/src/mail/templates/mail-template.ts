import type { z } from 'zod';

/** The locales every kind is written in; the first is the fallback. */
export const MAIL_LOCALES = ['en', 'es'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/**
 * One kind in one language, as Handlebars sources. `subject` and `text` are rendered without
 * HTML escaping (they are not HTML); `html` is escaped and framed by the shared layout.
 */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

/** A kind of mail: the variables its callers must give, and its templates per locale. */
export interface MailKindDefinition<V extends z.ZodType = z.ZodType> {
  variables: V;
  templates: Record<MailLocale, MailTemplate>;
}
