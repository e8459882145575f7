import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** A request exactly as it goes on the wire: the raw path (already percent-encoded, or not). */
export interface RawRequest {
  method: string;
  /** Path and query, sent as they are (no normalisation, no re-encoding). */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * Sends one request with `node:http` (not fetch or supertest, which normalise paths and headers)
 * and reads the whole answer. Rejects on a transport error or after `timeoutMs`. A request on a
 * reused keep-alive socket that the server closed as it went out (ECONNRESET before any answer)
 * is sent once more on a fresh one, as Node's documentation advises: that race is the pool's,
 * not the server's answer to the request.
 */
export async function sendRaw(
  baseUrl: string,
  raw: RawRequest,
  timeoutMs = 15_000,
): Promise<RawResponse> {
  try {
    return await sendOnce(baseUrl, raw, timeoutMs);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return sendOnce(baseUrl, raw, timeoutMs);
  }
}

class StaleSocketError extends Error {}

function sendOnce(baseUrl: string, raw: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: OutgoingHttpHeaders = { ...raw.headers };
  if (raw.body !== undefined) headers['content-length'] = raw.body.length;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        req.reusedSocket && error.code === 'ECONNRESET'
          ? new StaleSocketError(error.message, { cause: error })
          : error,
      );
    });
    req.end(raw.body);
  });
}

/** Closes the pooled keep-alive sockets (so Jest can exit). */
export function closeConnections(): void {
  agent.destroy();
}
