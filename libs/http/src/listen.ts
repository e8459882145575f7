import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import type { ErrorCode } from './errors/codes';
import { problemFor } from './errors/problem';

/**
 * The most bytes of request line and headers a request may have: Node's default (16 KiB), set
 * explicitly so a `--max-http-header-size` flag cannot change it. More is `431`.
 */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * What Node's HTTP parser rejects before any route runs, and the catalogue code each answers;
 * anything else it refuses (raw non-ASCII bytes or spaces in the path, a bad method, conflicting
 * lengths, ...) is 400 `malformed_request`.
 */
const PARSER_ERRORS: Readonly<Record<string, { code: ErrorCode; detail: string }>> = {
  HPE_HEADER_OVERFLOW: {
    code: 'headers_too_large',
    detail: `The request line and headers exceed ${MAX_HEADER_BYTES} bytes.`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: 'payload_too_large',
    detail: 'The chunk extensions are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'request_timeout',
    detail: 'The request took too long to arrive.',
  },
};

const MALFORMED: { code: ErrorCode; detail: string } = {
  code: 'malformed_request',
  detail: 'The request is not valid HTTP/1.1.',
};

/**
 * A minimal HTTP/1.1 answer with the RFC 9457 body of `code` (its `type`, `title`, `status` and
 * `code`, as every other error), written straight to the socket.
 */
function rawProblem(code: ErrorCode, detail: string): string {
  const problem = problemFor(code, detail);
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Bad Request'}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Node answers a request its parser refuses (oversized headers, malformed HTTP) with an empty
 * `431`/`400` of its own. This answers the same statuses as problem+json with a catalogue `code`
 * (`headers_too_large`, `malformed_request`, ...) instead, then closes the connection. As Node
 * does, it writes nothing when a response is already under way on the socket (its bytes would
 * corrupt it) and nothing to a socket already gone.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { code, detail } = (error.code ? PARSER_ERRORS[error.code] : undefined) ?? MALFORMED;
  socket.end(rawProblem(code, detail));
}

/**
 * Starts listening and resolves once the port is bound (port 0 picks a free one). Headers are
 * capped at `MAX_HEADER_BYTES`; requests the HTTP parser refuses get a problem+json answer.
 *
 * @example
 * const { server, port } = await listen(app, 8080, '0.0.0.0');
 */
export function listen(
  app: Express,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
    server.on('clientError', answerClientError);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/** Stops accepting connections and drops open ones (tests and embedded shutdown). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
