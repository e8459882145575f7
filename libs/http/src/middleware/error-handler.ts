import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors/app-error';
import { OAuthError } from '../errors/oauth-error';
import { sendOAuthError, toOAuthError } from '../errors/oauth-response';
import { fieldErrors, problemOf } from '../errors/problem';
import { errorFormatOf } from '../internal/error-format';
import { sendHtmlError } from '../internal/html-error-page';

/** The shape of errors from body-parser (http-errors): a `type` and a 4xx `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    typeof error.type === 'string' &&
    'status' in error &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500
  );
}

/** Maps anything thrown to our error tree, so the serializers below have one shape to handle. */
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
    // 413 covers `entity.too.large` and a form with too many parameters (`parameters.too.many`);
    // 415 an unsupported charset or content encoding.
    if (error.status === 413) return new AppError('payload_too_large');
    if (error.status === 415) return new AppError('unsupported_media_type');
    if (error.type === 'entity.parse.failed') return new AppError('malformed_json');
    return new AppError('validation_failed', 'The request body could not be read.');
  }
  return new AppError('unexpected_failure', undefined, { cause: error });
}

function sendProblem(req: Request, res: Response, error: AppError): void {
  if (error.status === 401 && !res.hasHeader('WWW-Authenticate')) {
    res.setHeader('WWW-Authenticate', 'Bearer');
  }
  const requestId = typeof req.id === 'string' ? req.id : undefined;
  res
    .status(error.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemOf(error, requestId)));
}

function sendPage(req: Request, res: Response, error: AppError | OAuthError): void {
  const requestId = typeof req.id === 'string' ? req.id : undefined;
  if (error instanceof OAuthError) {
    sendHtmlError(res, {
      status: error.status,
      title: STATUS_CODES[error.status] ?? 'Error',
      code: error.error,
      detail: error.status < 500 ? error.description : undefined,
      requestId,
    });
    return;
  }
  sendHtmlError(res, {
    status: error.status,
    title: error.title,
    code: error.code,
    detail: error.expose ? error.detail : undefined,
    errors: error.expose ? error.errors : undefined,
    requestId,
  });
}

/**
 * The one error middleware. The route decides the shape (see `endpoint`'s `errorFormat`): RFC 9457
 * problem+json by default, RFC 6749 `{error, error_description}` on OAuth routes, an HTML page on
 * server-rendered ones. An `OAuthError` is answered in RFC 6749 shape on any non-HTML route. 5xx
 * details and stacks stay in the log.
 */
export function errorHandler(): ErrorRequestHandler {
  return function handleError(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = toAppError(error);
    if (mapped.status >= 500) {
      req.log.error({ err: error }, 'request failed');
    } else {
      const code = mapped instanceof OAuthError ? mapped.error : mapped.code;
      req.log.info({ code }, 'request rejected');
    }
    if (mapped instanceof AppError) {
      for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
    }
    const format = errorFormatOf(res);
    if (format === 'html') {
      sendPage(req, res, mapped);
    } else if (mapped instanceof OAuthError) {
      sendOAuthError(res, mapped);
    } else if (format === 'oauth') {
      sendOAuthError(res, toOAuthError(mapped));
    } else {
      sendProblem(req, res, mapped);
    }
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
