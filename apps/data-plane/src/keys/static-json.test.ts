import type { Request, Response } from 'express';
import { sendStaticJson, staticJson, staticJsonCache } from './static-json';

function answer(ifNoneMatch?: string) {
  const headers: Record<string, unknown> = {};
  const sent: { status?: number; body?: Buffer | undefined } = {};
  const res = {
    statusCode: 200,
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = value;
    },
    end(this: { statusCode: number }, body?: Buffer) {
      sent.status = this.statusCode;
      sent.body = body;
    },
  } as unknown as Response;
  const req = {
    headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch },
  } as unknown as Request;
  return { req, res, headers, sent };
}

describe('staticJson', () => {
  const document = staticJson({ keys: [{ kid: 'a' }] });

  it('serializes once with a strong tag that depends only on the bytes', () => {
    expect(document.body.toString()).toBe('{"keys":[{"kid":"a"}]}');
    expect(document.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(staticJson({ keys: [{ kid: 'a' }] }).etag).toBe(document.etag);
    expect(staticJson({ keys: [{ kid: 'b' }] }).etag).not.toBe(document.etag);
  });

  it('answers 200 with the bytes, ETag and Cache-Control', () => {
    const { req, res, headers, sent } = answer();
    sendStaticJson(req, res, document, 'public, max-age=300');
    expect(sent).toEqual({ status: 200, body: document.body });
    expect(headers).toEqual({
      'cache-control': 'public, max-age=300',
      etag: document.etag,
      'content-type': 'application/json; charset=utf-8',
      'content-length': document.body.length,
    });
  });

  it.each([
    ['the tag', (tag: string) => tag],
    ['the tag marked weak', (tag: string) => `W/${tag}`],
    ['a list holding it', (tag: string) => `"other", ${tag}`],
    ['*', () => '*'],
  ])('answers 304 with no body to If-None-Match: %s', (_name, header) => {
    const { req, res, headers, sent } = answer(header(document.etag));
    sendStaticJson(req, res, document, 'public, max-age=300');
    expect(sent).toEqual({ status: 304, body: undefined });
    expect(headers).toEqual({ 'cache-control': 'public, max-age=300', etag: document.etag });
  });

  it('answers 200 to an If-None-Match naming other tags', () => {
    const { req, res, sent } = answer('"stale", W/"older"');
    sendStaticJson(req, res, document, 'public, max-age=300');
    expect(sent.status).toBe(200);
  });

  it('builds a document once per source object', () => {
    let builds = 0;
    const documentOf = staticJsonCache((source: { n: number }) => {
      builds++;
      return source;
    });
    const source = { n: 1 };
    expect(documentOf(source)).toBe(documentOf(source));
    expect(documentOf({ n: 1 }).etag).toBe(documentOf(source).etag);
    expect(builds).toBe(2);
  });
});
