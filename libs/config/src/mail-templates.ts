// Both planes parse tenant templates with the same Handlebars: the control plane to refuse a bad
// one when it is saved, the data plane to render it.
import Handlebars from 'handlebars';
import { z } from 'zod';

/**
 * The variables each kind of mail gives its templates (docs/mail.md, "Templates"). The data plane
 * checks that its template registry agrees with this table, so a tenant's override is validated
 * against exactly what the mail will be rendered with.
 */
export const MAIL_TEMPLATE_KIND_VARIABLES = {
  verify_email: ['link'],
  password_reset: ['link'],
  magic_link: ['link'],
  email_otp: ['code'],
  mfa_code: ['code'],
  invitation: ['link', 'organization', 'role'],
} as const;

export type MailTemplateKind = keyof typeof MAIL_TEMPLATE_KIND_VARIABLES;

/** Given to every kind: the tenant's name and colours, and the mail's language (`en`/`es`). */
export const MAIL_TEMPLATE_COMMON_VARIABLES = [
  'tenantName',
  'brandColor',
  'onBrandColor',
  'lang',
] as const;

export const MAIL_TEMPLATE_LOCALES = ['en', 'es'] as const;
export const MAIL_TEMPLATE_PARTS = ['subject', 'text', 'html'] as const;
export type MailTemplatePart = (typeof MAIL_TEMPLATE_PARTS)[number];

/** Sizes of one part, in characters. */
export const MAIL_TEMPLATE_LIMITS = { subject: 1000, text: 20_000, html: 20_000 } as const;

/** Block helpers a template may use; Handlebars' others change the context or look things up. */
const BLOCK_HELPERS = new Set(['if', 'unless']);

type Node = hbs.AST.Node;

/** The hash of a call: absent at run time when there is none, whatever the typings say. */
const hashSize = (hash: hbs.AST.Hash | undefined): number => hash?.pairs.length ?? 0;

/** The names a template of `kind` may use. */
export function mailTemplateVariables(kind: MailTemplateKind): readonly string[] {
  return [...MAIL_TEMPLATE_KIND_VARIABLES[kind], ...MAIL_TEMPLATE_COMMON_VARIABLES];
}

/**
 * Why a tenant's template source cannot be used for `kind` (empty when it can): it must parse,
 * name only the kind's variables, use no partial, decorator, sub-expression or triple-stash
 * (`{{{x}}}`, `{{&x}}`: every value is escaped in HTML), and no helper but `#if`/`#unless`.
 */
export function mailTemplateIssues(kind: MailTemplateKind, source: string): string[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`does not compile: ${message.split('\n')[0] ?? message}`];
  }
  const allowed = new Set(mailTemplateVariables(kind));
  const issues = new Set<string>();
  const variable = (node: Node): void => {
    if (node.type !== 'PathExpression') {
      issues.add('only plain variables may be used (no literals or sub-expressions)');
      return;
    }
    const path = node as hbs.AST.PathExpression;
    const name = path.original;
    const simple = !path.data && path.depth === 0 && path.parts.join('.') === name;
    if (!simple || !allowed.has(name)) {
      issues.add(`unknown variable "${path.original}" (known: ${[...allowed].join(', ')})`);
    }
  };
  const walk = (node: Node | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const child of (node as hbs.AST.Program).body) walk(child);
        return;
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped) issues.add('triple-stash ({{{x}}} or {{&x}}) is not allowed');
        if (m.params.length > 0 || hashSize(m.hash) > 0) {
          issues.add('helpers are not allowed in {{...}}; use {{variable}}');
        }
        variable(m.path);
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        // Typed as a path, but a literal or sub-expression parses there too.
        const head: Node = b.path;
        const helper = head.type === 'PathExpression' ? (head as hbs.AST.PathExpression) : null;
        if (!helper || !BLOCK_HELPERS.has(helper.original)) {
          issues.add('only {{#if x}} and {{#unless x}} blocks are allowed');
        } else if (b.params.length !== 1 || hashSize(b.hash) > 0) {
          issues.add(`{{#${helper.original}}} takes exactly one variable`);
        }
        for (const param of b.params) variable(param);
        walk(b.program);
        walk(b.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        issues.add('partials ({{> name}}) are not allowed');
        return;
      default:
        issues.add(`${node.type} is not allowed`);
    }
  };
  walk(program);
  return [...issues];
}

const part = (limit: number) => z.string().min(1).max(limit);
const localeTemplates = z
  .strictObject({
    subject: part(MAIL_TEMPLATE_LIMITS.subject).optional(),
    text: part(MAIL_TEMPLATE_LIMITS.text).optional(),
    html: part(MAIL_TEMPLATE_LIMITS.html).optional().describe('The body, inside the shared frame.'),
  })
  .describe('Handlebars sources; a missing part uses the built-in one.');
const kindTemplates = z.strictObject({
  en: localeTemplates.optional(),
  es: localeTemplates.optional(),
});

/**
 * `settings.mail.templates`: per kind and locale, the parts a tenant overrides. Only shapes and
 * sizes here: the data plane must keep reading settings a newer control plane wrote; whether a
 * source compiles is checked by {@link mailTemplatesIssues} (on save, and again when rendering).
 */
export const mailTemplatesSchema = z.strictObject(
  Object.fromEntries(
    Object.keys(MAIL_TEMPLATE_KIND_VARIABLES).map((kind) => [kind, kindTemplates.optional()]),
  ) as Record<MailTemplateKind, z.ZodOptional<typeof kindTemplates>>,
);

export type MailTemplateOverrides = z.infer<typeof mailTemplatesSchema>;

/** Every problem in a tenant's overrides, with its path under `templates`. */
export function mailTemplatesIssues(
  templates: MailTemplateOverrides,
): { path: [MailTemplateKind, string, MailTemplatePart]; message: string }[] {
  const found: { path: [MailTemplateKind, string, MailTemplatePart]; message: string }[] = [];
  for (const kind of Object.keys(MAIL_TEMPLATE_KIND_VARIABLES) as MailTemplateKind[]) {
    for (const locale of MAIL_TEMPLATE_LOCALES) {
      const parts = templates[kind]?.[locale];
      for (const name of MAIL_TEMPLATE_PARTS) {
        const source = parts?.[name];
        if (source === undefined) continue;
        for (const message of mailTemplateIssues(kind, source)) {
          found.push({ path: [kind, locale, name], message });
        }
      }
    }
  }
  return found;
}
