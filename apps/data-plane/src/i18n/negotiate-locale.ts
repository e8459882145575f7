/** The languages of the hosted pages and the mails. */
export type Locale = 'en' | 'es';

function fromTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  return primary === 'en' || primary === 'es' ? primary : undefined;
}

/**
 * The page locale: the first supported tag of `ui_locales` (OIDC Core §3.1.2.1, space-separated,
 * in preference order), else of `Accept-Language` by its q-values, else English; `es-*` is `es`.
 *
 * @example
 * negotiateLocale('fr-CA es-MX', undefined); // 'es'
 */
export function negotiateLocale(
  uiLocales: string | null | undefined,
  acceptLanguage: string | undefined,
): Locale {
  for (const tag of (uiLocales ?? '').split(' ')) {
    const locale = fromTag(tag);
    if (locale) return locale;
  }
  const ranked = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...options] = part.split(';');
      const q = options.map((o) => /^\s*q=([\d.]+)\s*$/.exec(o)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = fromTag(tag);
    if (locale) return locale;
  }
  return 'en';
}
