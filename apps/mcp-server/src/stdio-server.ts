import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { actorFetch } from './actor-fetch';
import { createToolContext } from './context';
import { credentialSource } from './credentials';
import type { Log } from './log';
import { createMcpServer } from './server';

/** MCP over stdin/stdout for a desktop assistant, acting with one configured credential. */
export async function startStdioServer(options: {
  cpUrl: string;
  publicUrl: string;
  readOnly: boolean;
  token?: string;
  email?: string;
  password?: string;
  log: Log;
}): Promise<{ close: () => Promise<void> }> {
  const fetch = actorFetch();
  const token = credentialSource({
    cpUrl: options.cpUrl,
    fetch,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.email !== undefined && { email: options.email }),
    ...(options.password !== undefined && { password: options.password }),
  });
  const ctx = createToolContext({
    cpUrl: options.cpUrl,
    publicUrl: options.publicUrl,
    token,
    fetch,
  });
  const server = createMcpServer({ ctx, readOnly: options.readOnly, log: options.log });
  await server.connect(new StdioServerTransport());
  return { close: () => server.close() };
}
