import { AppError, bearerToken } from '@hellojohn/http';
import { safeEqual } from '@hellojohn/tokens';
import type { RequestHandler } from 'express';

/** Internal routes take only `HJ_INTERNAL_TOKEN`, compared in constant time; admin tokens fail. */
export function requireInternalToken(expected: string): RequestHandler {
  return function authenticateInternal(req, _res, next) {
    if (!safeEqual(bearerToken(req), expected)) {
      throw new AppError('invalid_token', 'This route takes the internal token only.');
    }
    next();
  };
}
