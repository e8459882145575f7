import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { actorFetch } from './actor-fetch';
import { bearerOf, bearerValidator } from './bearer-auth';
import { createToolContext } from './context';
import type { Log } from './log';
import { createMcpServer } from './server';

export interface HttpServerOptions {
  cpUrl: string;
  publicUrl: string;
  readOnly: boolean;
  port: number;
  host: string;
  log: Log;
  fetch?: typeof fetch;
}

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8090/mcp`. */
  url: string;
  close: () => Promise<void>;
}

/** A JSON-RPC error answer outside any MCP session (401, 404, 405). */
function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

/**
 * MCP over streamable HTTP at `/mcp`, stateless: each POST carries its own bearer (a CP admin
 * token or API key, checked with the control plane), and gets a server whose tools call the
 * planes with that bearer, so one client can never act with another's credential. `/healthz`
 * answers for probes.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const fetch = actorFetch(options.fetch);
  const validate = bearerValidator({ cpUrl: options.cpUrl, fetch });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    if (path !== '/mcp') {
      refuse(res, 404, 'Not found: the MCP endpoint is /mcp');
      return;
    }
    const token = bearerOf(req.headers.authorization);
    if (token === undefined || !(await validate(token))) {
      refuse(res, 401, 'A valid bearer is required: a CP admin token or an hjk_ API key', {
        'www-authenticate': 'Bearer realm="hellojohn-mcp"',
      });
      return;
    }
    if (req.method !== 'POST') {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      refuse(res, 405, 'Method not allowed: POST JSON-RPC messages to /mcp', { allow: 'POST' });
      return;
    }
    const ctx = createToolContext({
      cpUrl: options.cpUrl,
      publicUrl: options.publicUrl,
      token: () => Promise.resolve(token),
      fetch,
    });
    const server = createMcpServer({ ctx, readOnly: options.readOnly, log: options.log });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log('error', 'http request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) refuse(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host}:${String(port)}/mcp`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
