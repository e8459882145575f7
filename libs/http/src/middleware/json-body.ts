import express, { type RequestHandler } from 'express';
import { AppError } from '../errors/app-error';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Strict JSON body parsing: a body in any other media type is 415, over `limit` is 413, broken
 * JSON is 400. An `application/x-www-form-urlencoded` body passes through unread: only endpoints
 * with `accepts: 'form'` (OAuth endpoints, RFC 6749 §3.2; HTML forms) parse it, strictly, and
 * answer in their own error format.
 *
 * @example
 * app.use(...jsonBody({ limit: '100kb' }));
 */
export function jsonBody(options: { limit?: string } = {}): RequestHandler[] {
  const limit = options.limit ?? '100kb';
  const json = express.json({
    limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  return [
    function requireSupportedMediaType(req, _res, next) {
      if (!METHODS_WITH_BODY.has(req.method) || !hasBody(req.headers)) {
        next();
        return;
      }
      if (req.is(['application/json', 'application/*+json', 'application/x-www-form-urlencoded'])) {
        next();
        return;
      }
      next(new AppError('unsupported_media_type'));
    },
    json,
  ];
}
