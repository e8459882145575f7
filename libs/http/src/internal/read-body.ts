import express, { type Request, type RequestHandler, type Response } from 'express';

/** The app setting `createServiceApp` stores its body limit under, so every parser shares it. */
export const BODY_LIMIT_SETTING = 'hellojohn body limit';

const parsers = new Map<string, RequestHandler>();

/**
 * Requests whose JSON body was empty once read and decoded. body-parser answers `{}` for one (a
 * "common client-side mistake"), which would let a request omit a required body by sending
 * `Content-Type: application/json` and nothing else; an empty body is no document instead
 * (`req.body` stays undefined), as it is without the header.
 */
const emptyJson = new WeakSet<object>();

function parserFor(accepts: 'json' | 'form', limit: string): RequestHandler {
  const key = `${accepts} ${limit}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser =
      accepts === 'json'
        ? express.json({
            limit,
            strict: true,
            type: ['application/json', 'application/*+json'],
            verify(req, _res, body) {
              if (body.length === 0) emptyJson.add(req);
            },
          })
        : // `extended: false` keeps names flat (`a[b]=1` is the name "a[b]"), so the only way to
          // get a non-string value is to repeat a name, which `repeatedName` then catches. 50
          // parameters is far above any OAuth request or sign-in form; more is 413.
          express.urlencoded({ limit, extended: false, parameterLimit: 50 });
    parsers.set(key, parser);
  }
  return parser;
}

/**
 * Reads the body of a route that declares one into `req.body` (a no-op once read): JSON
 * (strict: objects and arrays only), or `application/x-www-form-urlencoded` for routes with
 * `accepts: 'form'`. Only such routes read a body at all, so no other route ever sees one: an
 * unknown path or a route without a body never decodes, inflates or parses what was sent.
 * `Content-Encoding` gzip, deflate and br are inflated, the limit applying to the inflated size.
 * An empty JSON body is no body (`undefined`), not `{}`.
 */
export async function readBody(
  req: Request,
  res: Response,
  accepts: 'json' | 'form',
): Promise<void> {
  const configured: unknown = req.app.get(BODY_LIMIT_SETTING);
  const parse = parserFor(accepts, typeof configured === 'string' ? configured : '100kb');
  await new Promise<void>((resolve, reject) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) resolve();
      else reject(error instanceof Error ? error : new Error('unreadable body', { cause: error }));
    });
  });
  if (emptyJson.has(req)) req.body = undefined;
}

/**
 * The first name that appears more than once in parsed parameters (repeats become arrays), for
 * RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
 */
export function repeatedName(values: unknown): string | undefined {
  if (typeof values !== 'object' || values === null) return undefined;
  return Object.entries(values).find(([, value]) => Array.isArray(value))?.[0];
}
