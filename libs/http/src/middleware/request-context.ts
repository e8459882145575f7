import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
// Type only: the `req.id` / `req.log` declarations on IncomingMessage that the services use.
import type {} from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Keeps a caller's `X-Request-Id` when it is well-formed, else makes one. */
function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * What each log line says about its request (the access log's `req` too). The URL as received:
 * inside a mounted router Express trims `req.url`, never `originalUrl`.
 */
function requestBindings(req: IncomingMessage): { id: unknown; method: unknown; url: unknown } {
  const { originalUrl } = req as { originalUrl?: string };
  return { id: req.id, method: req.method, url: originalUrl ?? req.url };
}

const SERVICE_LOGGER = Symbol('hellojohn service logger');
const REQUEST_LOGGER = Symbol('hellojohn request logger');

interface LoggedRequest {
  [SERVICE_LOGGER]?: Logger;
  [REQUEST_LOGGER]?: Logger;
}

/**
 * `req.log`, made on first use: a child logger bound to `{ req: { id, method, url } }`. Building
 * a pino child serializes and redacts its bindings, which most requests (every answer that logs
 * nothing but the access line) would pay for nothing, so it is a getter on Express's request
 * prototype that builds the child the first time a handler logs. Assigning `req.log` still
 * replaces it for that request.
 */
function installLazyRequestLogger(): void {
  const proto = express.request as object;
  if (Object.getOwnPropertyDescriptor(proto, 'log') !== undefined) return;
  Object.defineProperty(proto, 'log', {
    configurable: true,
    get(this: IncomingMessage & LoggedRequest): Logger | undefined {
      const base = this[SERVICE_LOGGER];
      if (base === undefined) return undefined;
      let child = this[REQUEST_LOGGER];
      if (child === undefined) {
        child = base.child({ req: requestBindings(this) });
        this[REQUEST_LOGGER] = child;
      }
      return child;
    },
    set(this: IncomingMessage & LoggedRequest, value: Logger) {
      this[REQUEST_LOGGER] = value;
    },
  });
}

/**
 * The access-log line of a finished (or aborted) answer, in the shape pino-http wrote it: `req`
 * (id, method, url), `res` (status, headers; `set-cookie` redacted by the logger), `responseTime`
 * in ms; `error` level for a 5xx, `info` otherwise.
 */
function logAnswer(logger: Logger, req: IncomingMessage, res: ServerResponse, started: number) {
  const failed = res.statusCode >= 500;
  const level = failed ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      req: requestBindings(req),
      res: { statusCode: res.statusCode, headers: res.getHeaders() },
      responseTime: Date.now() - started,
    },
    failed ? 'request errored' : 'request completed',
  );
}

/** Health probes and scrapes are not logged: they would drown the access log. */
const UNLOGGED = new Set(['/healthz', '/metrics']);

/**
 * Gives each request an id (`req.id`, echoed in `X-Request-Id`) and a child logger (`req.log`,
 * built when first used), and writes one access-log line per response. The line is skipped, and
 * no listener is added, when the logger would drop it anyway (level `silent`, or above `error`).
 */
export function requestContext(logger: Logger): RequestHandler {
  installLazyRequestLogger();
  return function requestContextOf(req, res, next) {
    req.id = requestIdFor(req, res);
    (req as LoggedRequest)[SERVICE_LOGGER] = logger;
    if (logger.isLevelEnabled('error') && !UNLOGGED.has(req.url)) {
      const started = Date.now();
      let logged = false;
      const onDone = (): void => {
        if (logged) return;
        logged = true;
        res.removeListener('finish', onDone);
        res.removeListener('close', onDone);
        logAnswer(logger, req, res, started);
      };
      res.on('finish', onDone);
      res.on('close', onDone);
    }
    next();
  };
}
