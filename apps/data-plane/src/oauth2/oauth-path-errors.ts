import { OAuthError } from '@hellojohn/http';
import type { ErrorRequestHandler } from 'express';

/**
 * After the OAuth routes: Express decodes `/t/{tenant}` before any of a route's handlers run, so a
 * malformed escape there (`/t/%ff/oauth2/token`) fails before the route marks its errors as
 * OAuth's. It is answered in RFC 6749 form too, like everything else under `/oauth2/`.
 */
export const oauthPathErrors: ErrorRequestHandler = function answerPathErrorsAsOAuth(
  error: unknown,
  _req,
  _res,
  next,
) {
  next(
    error instanceof URIError
      ? new OAuthError('invalid_request', 'The URL is not validly percent-encoded.')
      : error,
  );
};
