import type { Response } from 'express';
import type { ZodError } from 'zod';
import type { AppError } from './app-error';
import { OAuthError, type OAuthErrorCode } from './oauth-error';

/**
 * Which OAuth error a present but invalid parameter answers; a missing one is always
 * `invalid_request` (RFC 6749 §5.2).
 *
 * @example
 * const parameterErrors: ParameterErrors = {
 *   grant_type: 'unsupported_grant_type',
 *   scope: 'invalid_scope',
 * };
 */
export type ParameterErrors = Readonly<Partial<Record<string, OAuthErrorCode>>>;

/**
 * RFC 6749 §5.2: `error_description` may hold only %x20-21 / %x23-5B / %x5D-7E, so quotes,
 * backslashes and anything outside printable ASCII are replaced rather than sent.
 */
function descriptionText(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
}

function isPresent(input: unknown, name: string): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const value = (input as Record<string, unknown>)[name];
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  return value !== undefined && value !== '';
}

/**
 * The OAuth answer to input that fails its schema: `invalid_request` naming the first parameter at
 * fault (RFC 6749 §5.2 has room for one error), or the code `overrides` names for a parameter that
 * is present but not acceptable, such as `unsupported_grant_type`.
 */
export function invalidParameter(
  error: ZodError,
  input: unknown,
  overrides: ParameterErrors = {},
): OAuthError {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    return new OAuthError('invalid_request', `Unknown parameter: ${issue.keys.join(', ')}`);
  }
  const name = issue?.path[0];
  if (issue === undefined || name === undefined) {
    return new OAuthError('invalid_request', 'The request parameters are not valid.');
  }
  const parameter = String(name);
  if (!isPresent(input, parameter)) {
    return new OAuthError('invalid_request', `Missing parameter: ${parameter}`);
  }
  return new OAuthError(
    overrides[parameter] ?? 'invalid_request',
    `Invalid parameter: ${parameter} (${issue.message})`,
  );
}

/**
 * An `AppError` raised on an OAuth route (a guard, a limit, a lost database) in OAuth terms. The
 * status is kept, so 429 and 503 still tell clients to back off; 5xx detail stays hidden.
 */
export function toOAuthError(error: AppError): OAuthError {
  const field = error.errors?.[0];
  const description = !error.expose
    ? undefined
    : field
      ? `Invalid parameter: ${field.path.replace(/^(body|query|params)\./, '')} (${field.message})`
      : (error.detail ?? error.title);
  let code: OAuthErrorCode = 'invalid_request';
  if (error.code === 'invalid_token') code = 'invalid_token';
  // RFC 6749 §4.1.2.1 names the "try again later" case; it fits a spent budget as well.
  else if (error.status === 429 || error.status === 503) code = 'temporarily_unavailable';
  else if (error.status >= 500) code = 'server_error';
  return new OAuthError(code, description, error.status);
}

/** RFC 6749 §5.2: the challenge a 401 carries. */
function challengeOf(error: OAuthError): string {
  // A client that failed to authenticate gets the scheme of client_secret_basic (RFC 6749 §2.3.1),
  // HTTP Basic, whose challenge requires a realm (RFC 7617 §2).
  if (error.error === 'invalid_client') return 'Basic realm="hellojohn", charset="UTF-8"';
  // RFC 6750 §3: resource requests get a Bearer challenge naming the error.
  return `Bearer error="${error.error}"`;
}

/**
 * Answers RFC 6749 §5.2 `{error, error_description}`. Like token responses (RFC 6749 §5.1), errors
 * are never cached.
 */
export function sendOAuthError(res: Response, error: OAuthError): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  if (error.status === 401 && !res.hasHeader('WWW-Authenticate')) {
    res.setHeader('WWW-Authenticate', challengeOf(error));
  }
  res.status(error.status).json({
    error: error.error,
    ...(error.description ? { error_description: descriptionText(error.description) } : {}),
  });
}
