import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A JSON document serialized once: its bytes and their strong entity tag. */
export interface StaticJson {
  readonly body: Buffer;
  /** A strong ETag (RFC 9110 §8.8.3): a digest of the bytes, so equal documents share it. */
  readonly etag: string;
}

/** Serializes `value` and tags the bytes; call it when the document changes, not per request. */
export function staticJson(value: unknown): StaticJson {
  const body = Buffer.from(JSON.stringify(value));
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, etag: `"${digest}"` };
}

/**
 * Caches one `StaticJson` per source object (a key set, a tenant configuration): the document is
 * built again only when its source is replaced, which is when it can have changed.
 */
export function staticJsonCache<K extends object>(
  build: (source: K) => unknown,
): (source: K) => StaticJson {
  const documents = new WeakMap<K, StaticJson>();
  return (source) => {
    let document = documents.get(source);
    if (document === undefined) {
      document = staticJson(build(source));
      documents.set(source, document);
    }
    return document;
  };
}

/**
 * RFC 9110 §13.1.2: `If-None-Match` matches when it is `*` or lists the tag, compared weakly (a
 * `W/` prefix is ignored), so a cache revalidating with the tag it holds gets a 304.
 */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  for (const candidate of ifNoneMatch.split(',')) {
    const tag = candidate.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

/**
 * Answers a GET (or HEAD) with `document`: 200 with its bytes, or 304 with no body when the
 * client already holds them (`If-None-Match`). Both carry `ETag` and `Cache-Control`
 * (RFC 9110 §15.4.5). No serialization, no per-request hashing: Express's `res.json` would do both.
 */
export function sendStaticJson(
  req: Request,
  res: Response,
  document: StaticJson,
  cacheControl: string,
): void {
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', document.etag);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, document.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', document.body.length);
  res.end(document.body);
}
