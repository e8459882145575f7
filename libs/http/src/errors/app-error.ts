import type { SafeHtml } from '../html';
import { ERROR_CODES, type ErrorCode } from './codes';

/** One field-level validation problem, `path` in dotted form such as `body.email`. */
export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Internal cause: logged, never sent to the client. */
  cause?: unknown;
  headers?: Record<string, string>;
  errors?: FieldError[];
  /**
   * On HTML routes, the page to answer instead of the generic error page (a sign-in form shown
   * again with its error summary), with the error's status. Ignored by the other formats.
   */
  page?: SafeHtml;
}

/**
 * An error with a catalogued `code`; the error handler turns it into RFC 9457 problem+json.
 * `detail` is shown to the client only when `expose` (status < 500).
 *
 * @example
 * throw new AppError('tenant_not_found', `No tenant "${ref}"`);
 */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly expose: boolean;
  readonly headers: Record<string, string>;
  readonly errors: FieldError[] | undefined;
  readonly page: SafeHtml | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? ERROR_CODES[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
    this.expose = this.status < 500;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
    this.page = options.page;
  }
}

/**
 * Throws an `AppError` unless `condition` holds; keeps handlers flat.
 *
 * @example
 * assertThat(tenant, 'tenant_not_found');
 */
export function assertThat(
  condition: unknown,
  code: ErrorCode,
  detail?: string,
): asserts condition {
  if (!condition) throw new AppError(code, detail);
}
