import type { Request } from 'express';
import { negotiateLocale } from '../i18n/negotiate-locale';

/**
 * The language of a mail asked for through the JSON API: the request's `Accept-Language`, as
 * the hosted pages choose theirs (`en` or `es`, else English).
 */
export function mailLocaleOf(req: Request): string {
  return negotiateLocale(undefined, req.get('accept-language'));
}
