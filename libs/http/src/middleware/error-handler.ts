import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors/app-error';
import { OAuthError } from '../errors/oauth-error';
import { fieldErrors, problemOf } from '../errors/problem';

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    typeof error.type === 'string' &&
    (error.type.startsWith('entity.') || error.type.endsWith('.unsupported'))
  );
}

/** Maps anything thrown to our error tree, so the serializer below has one shape to handle. */
function toAppError(error: unknown): AppError | OAuthError {
  if (error instanceof AppError || error instanceof OAuthError) return error;
  if (error instanceof ZodError) {
    return new AppError('validation_failed', 'See errors for the fields at fault.', {
      errors: fieldErrors(error),
    });
  }
  // The router's decodeURIComponent of a path parameter such as `%ff`.
  if (error instanceof URIError) {
    return new AppError('validation_failed', 'The URL is not validly percent-encoded.');
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') return new AppError('payload_too_large');
    if (error.type === 'entity.parse.failed') return new AppError('malformed_json');
    if (error.type.endsWith('.unsupported')) return new AppError('unsupported_media_type');
    return new AppError('validation_failed', 'The request body could not be read.');
  }
  return new AppError('unexpected_failure', undefined, { cause: error });
}

/**
 * The one error middleware: OAuth errors as RFC 6749 JSON, everything else as RFC 9457
 * problem+json. 5xx details and stacks stay in the log.
 */
export function errorHandler(): ErrorRequestHandler {
  return function handleError(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = toAppError(error);
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    if (mapped instanceof OAuthError) {
      if (mapped.status === 401) {
        res.setHeader('WWW-Authenticate', `Bearer error="${mapped.error}"`);
      }
      res.setHeader('Cache-Control', 'no-store');
      res.status(mapped.status).json({
        error: mapped.error,
        ...(mapped.description ? { error_description: mapped.description } : {}),
      });
      return;
    }
    if (mapped.status >= 500) {
      req.log.error({ err: error }, 'request failed');
    } else {
      req.log.info({ code: mapped.code }, 'request rejected');
    }
    for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
    if (mapped.status === 401 && !res.getHeader('WWW-Authenticate')) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res
      .status(mapped.status)
      .type('application/problem+json')
      .send(JSON.stringify(problemOf(mapped, requestId)));
  };
}

/** Answers 404 `route_not_found` for anything no router matched. */
export function notFoundHandler(): RequestHandler {
  return function routeNotFound(req, _res, next) {
    next(
      new AppError('route_not_found', `${req.method} ${req.path} is not a route of this service.`),
    );
  };
}
