// Test support for page tests: the console's Api over scripted answers, with no network. The
// session is the real one (createSession) over a scripted fetch, so its rules are exercised too.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiProvider, type Api } from '../api/api-context';
import { apiErrorOf } from '../api/api-error';
import type { Call, RequestOptions } from '../api/http';
import { createSession, type Session } from '../api/session';

/** One scripted answer: a value, or a problem thrown as the service would. */
type Answer = unknown;
type Handler = (options: RequestOptions) => Answer;

/** A problem document (RFC 9457) the fake throws, as createCall would. */
export function problem(status: number, code: string, detail?: string): never {
  throw apiErrorOf(status, { title: code.replace(/_/g, ' '), status, code, detail });
}

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

/** A fake Call answering `"METHOD /path"` from `routes`; every call is recorded in `calls`. */
export function fakeCall(routes: Record<string, Handler>): { call: Call; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const call = ((method: string, path: string, options: RequestOptions = {}) => {
    calls.push({ method, path, body: options.body });
    // A throwing handler (problem()) rejects, as a failed request would.
    return new Promise((resolve) => {
      const handler = routes[`${method} ${path}`];
      if (!handler) problem(404, 'not_found', `no scripted answer for ${method} ${path}`);
      resolve(handler(options) as never);
    });
  }) as Call;
  return { call, calls };
}

/** A Response as much as the session reads it (jsdom has no fetch Response). */
function jsonResponse(status: number, body: unknown): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? type : null) },
    text: () => Promise.resolve(JSON.stringify(body)),
  } as unknown as Response;
}

export interface FetchCall {
  url: string;
  body: unknown;
}

/** A session over a fetch that answers `path -> [status, body]`, recording each request. */
export function scriptedSession(answers: Record<string, [number, unknown]>): {
  session: Session;
  requests: FetchCall[];
} {
  const requests: FetchCall[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
    requests.push({ url, body });
    const answer = answers[new URL(url).pathname];
    return Promise.resolve(
      answer ? jsonResponse(answer[0], answer[1]) : jsonResponse(404, { code: 'not_found' }),
    );
  };
  return { session: createSession({ baseUrl: 'http://cp.test', fetch }), requests };
}

export const TOKENS = {
  access_token: 'at-1',
  refresh_token: 'rt-1',
  token_type: 'Bearer',
  expires_in: 900,
};

/** Renders `ui` inside an ApiProvider with the given plane calls and session. */
export function renderWithApi(
  ui: ReactNode,
  parts: { cp?: Call; dp?: Call; session?: Session },
): RenderResult {
  const unused = fakeCall({}).call;
  const api: Api = {
    session: parts.session ?? scriptedSession({}).session,
    cp: parts.cp ?? unused,
    dp: parts.dp ?? unused,
    dataPlaneUrl: 'http://dp.test',
  };
  return render(<ApiProvider api={api}>{ui}</ApiProvider>);
}
