import type { Request } from 'express';
import { AppError } from './errors/app-error';

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or a 401.
 *
 * @example
 * const token = bearerToken(req);
 */
export function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) throw new AppError('unauthenticated', 'Send Authorization: Bearer <token>.');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match?.[1]) {
    throw new AppError('invalid_token', 'The Authorization header is not a bearer token.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
    });
  }
  return match[1];
}
