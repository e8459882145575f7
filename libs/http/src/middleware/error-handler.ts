import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors/app-error';
import { OAuthError } from '../errors/oauth-error';
import { sendOAuthError, toOAuthError } from '../errors/oauth-response';
import { fieldErrors, problemOf } from '../errors/problem';
import { errorFormatOf } from '../internal/error-format';
import { sendHtmlError } from '../internal/html-error-page';
import { setHtmlHeaders } from '../internal/html-headers';

/**
 * A 4xx error from middleware (http-errors), most often from reading a body (body-parser,
 * raw-body): a `status`, and a `type` such as `entity.parse.failed` or `encoding.unsupported` when
 * body-parser made the error itself. A corrupt compressed body is a zlib error (`Z_DATA_ERROR`, or
 * `ERR__ERROR_FORMAT_...` for brotli) given status 400 and no `type`.
 */
interface ClientError {
  status: number;
  type?: unknown;
  encoding?: unknown;
  charset?: unknown;
}

function isClientError(error: unknown): error is ClientError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'status' in error &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500
  );
}

/** The request's `Content-Encoding`, when it names one (absent and `identity` are none). */
function contentEncodingOf(req: Request): string | undefined {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding : undefined;
}

/** Header text safe to quote in a `detail`: printable ASCII, at most 40 characters. */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return `"${text.replace(/[^\x20-\x7e]|"/g, '?').slice(0, 40)}"`;
}

/**
 * Reading a body fails only by the client's doing: 413 too large (`entity.too.large`, a form with
 * too many parameters); 415 a charset or content encoding we do not decode; 400 broken JSON, or a
 * body that is not what its `Content-Encoding` says (a `gzip` header over plain text). Logged at
 * info like every 4xx, never as a server failure.
 */
function clientErrorProblem(error: ClientError, req: Request): AppError {
  if (error.status === 413) return new AppError('payload_too_large');
  if (error.type === 'encoding.unsupported') {
    return new AppError(
      'unsupported_media_type',
      `Content-Encoding ${quoted(error.encoding ?? contentEncodingOf(req))} is not supported; send the body as it is (identity), or as gzip, deflate or br.`,
    );
  }
  if (error.type === 'charset.unsupported') {
    return new AppError(
      'unsupported_media_type',
      `Charset ${quoted(error.charset)} is not supported; send UTF-8.`,
    );
  }
  if (error.status === 415) return new AppError('unsupported_media_type');
  if (error.type === 'entity.parse.failed') return new AppError('malformed_json');
  const encoding = contentEncodingOf(req);
  if (error.status === 400 && encoding !== undefined && error.type === undefined) {
    return new AppError(
      'validation_failed',
      `The request body is not valid ${quoted(encoding)} data (Content-Encoding: ${quoted(encoding)}).`,
      { errors: [{ path: 'body', message: `is not valid ${quoted(encoding)} data` }] },
    );
  }
  // Other middleware's http-errors (e.g. a static file of /docs): keep their meaning, never 500.
  if (error.status === 404) return new AppError('route_not_found');
  if (error.status === 403) return new AppError('forbidden');
  return new AppError('validation_failed', 'The request could not be read.');
}

/** Maps anything thrown to our error tree, so the serializers below have one shape to handle. */
function toAppError(error: unknown, req: Request): AppError | OAuthError {
  if (error instanceof AppError || error instanceof OAuthError) return error;
  if (error instanceof ZodError) {
    return new AppError('validation_failed', 'See errors for the fields at fault.', {
      errors: fieldErrors(error),
    });
  }
  // The router's decodeURIComponent of a path parameter such as `%ff`: it fails before the
  // route's own handlers (and so its error format) run, like Node's parser refusals.
  if (error instanceof URIError) return new AppError('malformed_path');
  if (isClientError(error)) return clientErrorProblem(error, req);
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
  if (error.page !== undefined && error.status < 500) {
    setHtmlHeaders(res);
    res.status(error.status).send(error.page.toString());
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
    const mapped = toAppError(error, req);
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
