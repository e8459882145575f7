import express, { type Request, type RequestHandler, type Response } from 'express';

/** The app setting `createServiceApp` stores its body limit under, so form parsing shares it. */
export const BODY_LIMIT_SETTING = 'hellojohn body limit';

const parsers = new Map<string, RequestHandler>();

function parserFor(limit: string): RequestHandler {
  let parser = parsers.get(limit);
  if (!parser) {
    // `extended: false` keeps names flat (`a[b]=1` is the name "a[b]"), so the only way to get a
    // non-string value is to repeat a name, which `repeatedName` then catches. 50 parameters is
    // far above any OAuth request or sign-in form; more is 413.
    parser = express.urlencoded({ limit, extended: false, parameterLimit: 50 });
    parsers.set(limit, parser);
  }
  return parser;
}

/**
 * Parses an `application/x-www-form-urlencoded` body into `req.body` (a no-op once read). Only
 * routes that accept forms call it, so no other route ever sees form fields.
 */
export async function readFormBody(req: Request, res: Response): Promise<void> {
  const configured: unknown = req.app.get(BODY_LIMIT_SETTING);
  const parse = parserFor(typeof configured === 'string' ? configured : '100kb');
  await new Promise<void>((resolve, reject) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) resolve();
      else
        reject(
          error instanceof Error ? error : new Error('unreadable form body', { cause: error }),
        );
    });
  });
}

/**
 * The first name that appears more than once in parsed parameters (repeats become arrays), for
 * RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
 */
export function repeatedName(values: unknown): string | undefined {
  if (typeof values !== 'object' || values === null) return undefined;
  return Object.entries(values).find(([, value]) => Array.isArray(value))?.[0];
}
