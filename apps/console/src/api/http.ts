import { apiErrorOf } from './api-error';
import type { Session } from './session';

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
}

/** A JSON call to one service, with the operator's bearer token. */
export type Call = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  // `application/json` and `application/problem+json` (RFC 9457 §3).
  if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Whether a 401 is about the bearer (refreshing may help) rather than the request itself, such
 * as a wrong authenticator code (`invalid_mfa_code`): retrying that would spend a refresh token
 * and count the same wrong code twice against the rate limit.
 */
function staleToken(body: unknown): boolean {
  const code = typeof body === 'object' && body !== null && 'code' in body ? body.code : undefined;
  return code === undefined || code === 'invalid_token' || code === 'unauthenticated';
}

/**
 * A thin fetch wrapper over one service (control plane or data plane). The bearer comes from the
 * in-memory session; a 401 refreshes the session once and retries; a refused refresh ends the
 * session (the console shows sign-in, then returns to the page). Failures throw ApiError with the
 * problem document's title and detail.
 */
export function createCall(options: {
  baseUrl: string;
  session: Session;
  fetch?: typeof fetch;
}): Call {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function once(method: string, path: string, request: RequestOptions): Promise<Response> {
    const url = new URL(options.baseUrl.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const token = await options.session.accessToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return doFetch(url.toString(), {
      method,
      headers,
      credentials: 'omit',
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
  }

  return async function call<T>(method: string, path: string, request: RequestOptions = {}) {
    let response = await once(method, path, request);
    let body = await bodyOf(response);
    if (response.status === 401 && staleToken(body) && (await options.session.refresh())) {
      response = await once(method, path, request);
      body = await bodyOf(response);
    }
    if (!response.ok) {
      throw apiErrorOf(response.status, body, response.headers.get('x-request-id'));
    }
    return body as T;
  };
}

/** Encodes one path segment (a slug or an id). */
export const seg = (value: string): string => encodeURIComponent(value);
