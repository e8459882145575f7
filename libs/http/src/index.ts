export { ERROR_CODES, PROBLEM_TYPE_BASE } from './errors/codes';
export type { ErrorCode } from './errors/codes';
export { AppError, assertThat } from './errors/app-error';
export type { AppErrorOptions, FieldError } from './errors/app-error';
export { OAuthError } from './errors/oauth-error';
export type { OAuthErrorCode } from './errors/oauth-error';
export { fieldErrors, problemFor, problemOf } from './errors/problem';
export type { Problem } from './errors/problem';
export { errorHandler, notFoundHandler } from './middleware/error-handler';
export { requestContext } from './middleware/request-context';
export { endpoint } from './endpoint';
export type { Endpoint } from './endpoint';
export type {
  EndpointHandler,
  EndpointInput,
  EndpointSpec,
  ErrorFormat,
  MultiStatusHandler,
} from './endpoint-spec';
export type { ParameterErrors } from './errors/oauth-response';
export { HtmlPage, NoBody, Redirect } from './responses';
export type {
  RedirectStatus,
  Reply,
  ReplyOf,
  Responder,
  ResponseMap,
  ResponseSpec,
} from './responses';
export { html, raw } from './html';
export { allowOnPage } from './internal/html-headers';
export type { HtmlValue, SafeHtml } from './html';
export { createApiRouter } from './api-router';
export type { ApiRouter, ApiRouterOptions, HttpMethod, RouteRecord } from './api-router';
export { guard } from './guard';
export type { Guard, GuardSpec } from './guard';
export { buildOpenApiDocument, openApiRoutes } from './openapi';
export type { OpenApiInfo } from './openapi';
export { healthRoutes, readiness } from './health';
export type { CheckResult, ReadinessCheck } from './health';
export { createMetrics } from './metrics';
export type { Metrics } from './metrics';
export { createLogger } from './logger';
export type { Logger } from './logger';
export { onShutdown } from './shutdown';
export { pageOf, pageQuery } from './pagination';
export { boundedJson, safeText } from './bounded-json';
export { createServiceApp } from './create-service-app';
export type { ServiceAppOptions } from './create-service-app';
export { bearerToken } from './bearer';
export { closeServer, listen } from './listen';
// Re-exported so that this package's types import pino-http, whose declarations give every
// service's `req.id` and `req.log` (the middleware that sets them no longer uses pino-http).
export type { HttpLogger } from 'pino-http';
