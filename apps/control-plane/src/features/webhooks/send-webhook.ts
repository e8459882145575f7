import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isBlockedAddress } from './webhook-target';

/** How long one attempt may take, connection to last byte read. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The most of a response body read; the rest is dropped with the connection. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What one HTTP attempt gave. */
export interface SendResult {
  /** The response status, or null when none came (refused target, DNS, timeout, reset). */
  status: number | null;
  durationMs: number;
  /** Why it is not a success, or null for a 2xx. */
  error: string | null;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Loopback and private targets allowed (`HJ_WEBHOOK_ALLOW_PRIVATE`). */
  allowPrivate: boolean;
}

class BlockedTargetError extends Error {}

/**
 * A lookup that resolves the host, drops loopback/private/metadata addresses (unless allowed) and
 * hands the socket exactly the address it checked: the connection is pinned to it, so a DNS answer
 * that changes between a check and the connect (rebinding) cannot swap in an internal host.
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const usable = addresses.filter((entry) => allowPrivate || !isBlockedAddress(entry.address));
      const chosen = usable[0];
      if (chosen === undefined) {
        callback(
          new BlockedTargetError(
            `${hostname} resolves only to loopback, private, link-local or metadata addresses`,
          ),
          '',
          0,
        );
        return;
      }
      if (options.all) {
        (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, [chosen]);
      } else {
        callback(null, chosen.address, chosen.family);
      }
    });
  };
}

/** Reads and drops up to {@link MAX_RESPONSE_BYTES}, so the peer sees its response consumed. */
function drain(response: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    response.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > MAX_RESPONSE_BYTES) {
        response.destroy();
        resolve();
      }
    });
    response.on('end', () => {
      resolve();
    });
    response.on('error', () => {
      resolve();
    });
    response.on('close', () => {
      resolve();
    });
  });
}

/**
 * POSTs one signed webhook: no redirects followed (a 3xx is a failure), 10 s in all, at most
 * 64 KiB of the answer read. Never throws: every failure is in the result.
 */
export function sendWebhook(input: SendRequest): Promise<SendResult> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number((process.hrtime.bigint() - started) / 1_000_000n);
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return Promise.resolve({ status: null, durationMs: 0, error: 'the URL is not valid' });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Literal addresses never reach the lookup: they are checked here.
  if (!input.allowPrivate && isIP(host) !== 0 && isBlockedAddress(host)) {
    return Promise.resolve({
      status: null,
      durationMs: 0,
      error: `${host} is a loopback, private, link-local or metadata address`,
    });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup: checkedLookup(input.allowPrivate),
      headers: {
        ...input.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(input.body)),
        'user-agent': 'HelloJohn-Webhooks/1',
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`));
    }, ATTEMPT_TIMEOUT_MS);
    let settled = false;
    const finish = (status: number | null, error: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, durationMs: elapsed(), error });
    };
    req.on('response', (response) => {
      const status = response.statusCode ?? 0;
      void drain(response).then(() => {
        finish(
          status,
          status >= 200 && status < 300
            ? null
            : status >= 300 && status < 400
              ? `HTTP ${status} (redirects are not followed)`
              : `HTTP ${status}`,
        );
        req.destroy();
      });
    });
    req.on('error', (error) => {
      finish(null, error.message);
    });
    req.end(input.body);
  });
}
