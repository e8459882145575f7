import { request, type IncomingHttpHeaders } from 'node:http';

/** What came back to `requestRaw`: the status, the headers and the body as text. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTP/1.1 request to the server listening on `127.0.0.1:port`, over a real socket: `body` is
 * sent as exactly these bytes (supertest would serialise a Buffer as JSON), with its
 * Content-Length; no body, no Content-Length. Headers are sent as given, however large.
 */
export function requestRaw(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<RawResponse> {
  const { method = 'GET', path, headers = {}, body } = options;
  const length: Record<string, string> =
    body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(
      { port, host: '127.0.0.1', method, path, headers: { ...headers, ...length } },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => {
          resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
