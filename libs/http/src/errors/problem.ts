import type { ZodError } from 'zod';
import { AppError, type FieldError } from './app-error';
import { PROBLEM_TYPE_BASE, type ErrorCode } from './codes';

/** RFC 9457 problem document, plus our stable `code` and field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

/** Turns zod issues into `{path, message}` with a dotted path such as `body.redirect_uris.0`. */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (keys.length > 0) {
      return {
        path: [path, keys[0]].filter(Boolean).join('.'),
        message: `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`,
      };
    }
    return { path: path || '(root)', message: issue.message };
  });
}

/** Builds the problem document of an `AppError`. */
export function problemOf(error: AppError, requestId?: string): Problem {
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
  };
  if (error.expose && error.detail) problem.detail = error.detail;
  if (requestId) problem.instance = `urn:request:${requestId}`;
  if (error.errors) problem.errors = error.errors;
  return problem;
}

/** A generic problem for a code, e.g. for routes that never throw. */
export function problemFor(code: ErrorCode, detail?: string): Problem {
  return problemOf(new AppError(code, detail));
}
