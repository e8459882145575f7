import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one redirect brought back to the client (query, or form body for form_post). */
export interface Callback {
  path: string;
  params: URLSearchParams;
}

/**
 * The relying party's side of the redirect: a tiny HTTP server on a loopback port (RFC 8252
 * §7.3 redirect URIs) that shows the `code`, `state` and `iss` it received on a plain page (so a
 * screenshot or a human can see the end of the flow) and keeps every callback for the test.
 * It serves nothing else, so a browser on it can request nothing third-party either.
 */
export interface CallbackServer {
  origin: string;
  /** A redirect URI on this server, e.g. `redirectUri('app-a')` -> `http://127.0.0.1:1234/app-a/callback`. */
  redirectUri(name: string): string;
  received: Callback[];
  close(): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function page(params: URLSearchParams): string {
  const rows = [...params]
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd id="${escapeHtml(k)}">${escapeHtml(v)}</dd>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Callback - test client</title></head><body><h1>Redirected back to the client</h1><dl>${rows}</dl></body></html>`;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const received: Callback[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.endsWith('/callback')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const params =
        req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
      received.push({ path: url.pathname, params });
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(page(params));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    redirectUri: (name) => `${origin}/${name}/callback`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
