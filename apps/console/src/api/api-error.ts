/** One field-level problem of a 400 problem+json (`errors[]`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * A failed call, from its RFC 9457 problem document: what the console shows is `title` and
 * `detail` (and the request id, to quote to whoever runs the service). A network failure is a
 * status-0 error of its own, so every error panel has something to say.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string;
  readonly errors: FieldProblem[];
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    title: string;
    code: string;
    detail?: string | undefined;
    errors?: FieldProblem[];
    requestId?: string | undefined;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error for a non-2xx answer: problem+json, an OAuth error body, or anything else. */
export function apiErrorOf(status: number, body: unknown, requestId?: string | null): ApiError {
  const doc = isRecord(body) ? body : {};
  const errors = Array.isArray(doc.errors)
    ? doc.errors.filter(isRecord).map((item) => ({
        path: text(item.path) ?? '',
        message: text(item.message) ?? '',
      }))
    : [];
  return new ApiError({
    status,
    title: text(doc.title) ?? text(doc.error) ?? `The request failed (HTTP ${status})`,
    code: text(doc.code) ?? text(doc.error) ?? `http_${status}`,
    detail: text(doc.detail) ?? text(doc.error_description),
    errors,
    requestId: requestId ?? text(doc.instance),
  });
}

/** What a thrown value says to an operator, as an ApiError. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    status: 0,
    title: 'The service could not be reached',
    code: 'network_error',
    detail: error instanceof Error ? error.message : undefined,
  });
}
