/** One field-level problem of a validation error (`errors` in the problem document). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * A non-2xx answer from a HelloJohn service. `code` is the stable machine code: the problem
 * document's `code` (RFC 9457, see docs/errors.md), or an OAuth `error` (RFC 6749 §5.2).
 *
 * @example
 * ```ts
 * try {
 *   await dp.signIn({ email, password });
 * } catch (error) {
 *   if (error instanceof HelloJohnApiError && error.code === 'invalid_credentials') retry();
 * }
 * ```
 */
export class HelloJohnApiError extends Error {
  override readonly name = 'HelloJohnApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** The `X-Request-Id` of the failed call, to quote to an operator. */
  readonly requestId: string | undefined;
  /** The parsed body, or the raw text when it was not JSON. */
  readonly body: unknown;

  constructor(init: {
    status: number;
    code: string;
    detail?: string;
    errors?: FieldError[];
    requestId?: string;
    body?: unknown;
  }) {
    super(init.detail ? `${init.code}: ${init.detail}` : `${init.code} (HTTP ${init.status})`);
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldErrorsOf(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    path: typeof item.path === 'string' ? item.path : '',
    message: typeof item.message === 'string' ? item.message : '',
  }));
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Builds the error for a failed response from its parsed body (problem+json or OAuth). */
export function apiErrorFrom(status: number, body: unknown, requestId?: string): HelloJohnApiError {
  const doc = isRecord(body) ? body : {};
  const code = str(doc.code) ?? str(doc.error) ?? `http_${status}`;
  const detail = str(doc.detail) ?? str(doc.error_description) ?? str(doc.title);
  return new HelloJohnApiError({
    status,
    code,
    ...(detail !== undefined && { detail }),
    errors: fieldErrorsOf(doc.errors),
    ...(requestId !== undefined && { requestId }),
    body,
  });
}
