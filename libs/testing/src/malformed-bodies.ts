import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { requestRaw } from './raw-http';

/** An answer to `sendBytes`: the body parsed as JSON (`{}` when empty). */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Sends `body` to `app` as exactly these bytes (e.g. a body that does not match its
 * Content-Encoding), on a loopback server of its own that is closed again after the answer.
 */
export async function sendBytes(
  app: RequestListener,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<RawAnswer> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const {
      status,
      headers: answered,
      text,
    } = await requestRaw(port, {
      method,
      path,
      headers,
      body,
    });
    return {
      status,
      headers: answered,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  }
}

/**
 * Malformed `Content-Encoding` bodies for a route that takes `json`, and the status each must get:
 * a body its encoding cannot decode is `400`, an encoding no route decodes is `415` (a route that
 * takes no body answers `400` to any of them).
 *
 * @see issue 15 (3)
 */
function malformedEncodings(json: string): Array<[string, Buffer | string, number]> {
  return [
    ['gzip', json, 400],
    ['deflate', Buffer.from('definitely not deflate'), 400],
    ['br', Buffer.from([0xff, 0xfe, 0x00, 0x41]), 400],
    ['x-made-up', json, 415],
  ];
}

/** Asserts a problem+json answer (RFC 9457) with `status`, and `code` when given. */
export function expectProblem(
  res: { status: number; headers: object; body: unknown },
  status: number,
  code?: string,
): void {
  expect(res.status).toBe(status);
  expect((res.headers as Record<string, string>)['content-type']).toMatch(
    /^application\/problem\+json/,
  );
  expect(res.body).toMatchObject(code === undefined ? { status } : { status, code });
}

/**
 * Sends every malformed body of `malformedEncodings(json)` to each of `routes` (`[method, path,
 * takes a body]`), with `headers()` added to each request, and asserts a problem+json answer: the
 * case's status on a route that takes a body; `400` on one that takes none (it reads nothing).
 */
export async function expectMalformedBodiesRefused(
  app: RequestListener,
  routes: Array<[string, string, boolean]>,
  json: string,
  headers: () => Record<string, string>,
): Promise<void> {
  for (const [method, path, takesBody] of routes) {
    for (const [encoding, body, status] of malformedEncodings(json)) {
      const res = await sendBytes(
        app,
        method,
        path,
        { ...headers(), 'Content-Type': 'application/json', 'Content-Encoding': encoding },
        body,
      );
      expectProblem(res, takesBody ? status : 400);
    }
  }
}
