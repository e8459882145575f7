import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The MCP server as a desktop assistant runs it: a child process speaking over stdio (tsx on the
 * TypeScript sources, as `npm run mcp` does), driven by the SDK's own `Client`.
 */
export async function stdioMcpClient(
  env: Record<string, string>,
  flags: string[] = [],
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: join(ROOT, 'node_modules', '.bin', 'tsx'),
    args: ['--conditions=@hellojohn/source', join(ROOT, 'apps/mcp-server/src/main.ts'), ...flags],
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** A client of the streamable HTTP endpoint, sending `token` as its bearer. */
export async function httpMcpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'e2e-http', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** The structured result of a tool call that must succeed (its text otherwise, to debug). */
export async function callOk(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) {
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    throw new Error(`${name} failed: ${text}`);
  }
  return result.structuredContent ?? {};
}

/** A tool call that must fail as a tool error; answers its text. */
export async function callFails(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) throw new Error(`${name} succeeded, expected a tool error`);
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
