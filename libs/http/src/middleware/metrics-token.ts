import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { bearerToken } from '../bearer';
import { AppError } from '../errors/app-error';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Guards `/metrics` with `Authorization: Bearer <token>` (`HJ_METRICS_TOKEN`): no header is
 * `401 unauthenticated`, a wrong token `401 invalid_token`, both with `WWW-Authenticate: Bearer`.
 * Compared as SHA-256 digests in constant time, so neither the content nor the length leaks.
 */
export function requireMetricsToken(token: string): RequestHandler {
  const expected = digest(token);
  return function checkMetricsToken(req, _res, next) {
    const given = bearerToken(req);
    if (!timingSafeEqual(digest(given), expected)) {
      throw new AppError('invalid_token', 'Send the metrics token (HJ_METRICS_TOKEN).');
    }
    next();
  };
}
