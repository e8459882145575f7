import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app-error';
import { OAuthError } from '../errors/oauth-error';
import { readBody, repeatedName } from './read-body';
import type { ErrorFormat } from '../endpoint-spec';
import { setErrorFormat } from './error-format';
import type { Route } from './route-of';

const prepared = new WeakSet<Request>();

/** RFC 9112 §6.3: a request has a body when it has a non-zero length or is chunked. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function checkMediaType(req: Request, accepts: 'json' | 'form'): void {
  if (!hasBody(req)) return;
  if (accepts === 'form') {
    // RFC 6749 §3.2 and HTML forms: form-encoded only.
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new AppError('unsupported_media_type', 'Send application/x-www-form-urlencoded.');
    }
  } else if (!req.is(['application/json', 'application/*+json'])) {
    throw new AppError('unsupported_media_type');
  }
}

function rejectRepeated(values: unknown, part: 'body' | 'query', format: ErrorFormat): void {
  const name = repeatedName(values);
  if (name === undefined) return;
  // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
  if (format === 'oauth') {
    // RFC 8707 §2 allows several `resource` parameters; HelloJohn issues one audience per token.
    if (name === 'resource') {
      throw new OAuthError('invalid_target', 'One resource per request: a token has one audience.');
    }
    throw new OAuthError('invalid_request', `Repeated parameter: ${name}`);
  }
  throw new AppError('validation_failed', `The field "${name}" is sent more than once.`, {
    errors: [{ path: `${part}.${name}`, message: 'must be sent once' }],
  });
}

/**
 * What a route needs before its guards run: the error format marked, OAuth's no-store headers,
 * a body refused where the route takes none, the media type checked, the body read (JSON or
 * form), repeated parameters refused. Runs once per request, whether the route table or the
 * endpoint itself gets there first.
 */
export async function prepareRequest(req: Request, res: Response, route: Route): Promise<void> {
  if (prepared.has(req)) return;
  prepared.add(req);
  setErrorFormat(res, route.format);
  if (route.format === 'oauth') {
    // RFC 6749 §5.1: token responses "MUST include" both; every OAuth answer gets them.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    rejectRepeated(req.query, 'query', route.format);
  }
  if (!route.hasBody) {
    // A body the route would ignore is refused, whatever its type: input is strict everywhere.
    if (hasBody(req)) {
      throw new AppError('validation_failed', 'This route takes no request body.', {
        errors: [{ path: 'body', message: 'must be empty: this route takes no body' }],
      });
    }
    return;
  }
  if (route.streamTypes !== undefined) {
    // The handler reads this body itself, as a stream: only its media type is checked here.
    if (hasBody(req) && !req.is([...route.streamTypes])) {
      throw new AppError('unsupported_media_type', `Send ${route.streamTypes.join(' or ')}.`);
    }
    return;
  }
  checkMediaType(req, route.accepts);
  await readBody(req, res, route.accepts);
  if (route.accepts === 'form') rejectRepeated(req.body, 'body', route.format);
}

/** The same, as the first middleware of a route, so guards already see the parsed body. */
export function prepareRoute(route: Route): RequestHandler {
  return function prepareRouteRequest(req, res, next) {
    prepareRequest(req, res, route).then(() => {
      next();
    }, next);
  };
}
