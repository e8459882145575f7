import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import { safeEqual } from '@hellojohn/tokens';

/** Internal routes take only `HJ_INTERNAL_TOKEN`, compared in constant time; admin tokens fail. */
export function requireInternalToken(expected: string): Guard {
  return guard(
    { errors: ['unauthenticated', 'invalid_token'], auth: 'bearer' },
    function authenticateInternal(req, _res, next) {
      if (!safeEqual(bearerToken(req), expected)) {
        throw new AppError('invalid_token', 'This route takes the internal token only.');
      }
      next();
    },
  );
}
