import { apiErrorFrom } from './api-error';

export type Query = Record<string, string | number | boolean | undefined>;

interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** A bearer token for this call; overrides the client's own. */
  token?: string;
  headers?: Record<string, string>;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Called before each call that has no token of its own; `undefined` sends none. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export type Send = <T>(request: HttpRequest) => Promise<T>;

function urlOf(baseUrl: string, path: string, query: Query = {}): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  // Both `application/json` and `application/problem+json` (RFC 9457 §3).
  if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The JSON-over-HTTP core both clients share: base URL, bearer token, error mapping. */
export function createHttpClient(options: HttpClientOptions): Send {
  const doFetch = options.fetch ?? globalThis.fetch;
  return async function send<T>(request: HttpRequest): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const token = request.token ?? (await options.getToken?.());
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, request.headers);
    const response = await doFetch(urlOf(options.baseUrl, request.path, request.query), {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
    const body = await bodyOf(response);
    if (!response.ok) {
      throw apiErrorFrom(response.status, body, response.headers.get('x-request-id') ?? undefined);
    }
    // The services validate their own responses against the same schemas these types mirror.
    return body as T;
  };
}

/** Encodes one path segment (a slug, id or client id). */
export const seg = (value: string): string => encodeURIComponent(value);
