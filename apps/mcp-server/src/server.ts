import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MCP_VERSION } from './actor-fetch';
import { callTool } from './call-tool';
import type { ToolContext } from './context';
import type { Log } from './log';
import { registerPrompts } from './prompts';
import { registerTenantResource } from './resources';
import { toolsFor } from './tools';

export interface ServerOptions {
  ctx: ToolContext;
  readOnly: boolean;
  log: Log;
}

const INSTRUCTIONS =
  'Operates a HelloJohn identity platform: tenants, OAuth clients, API resources, operators, ' +
  "webhooks, a tenant's users and roles, signing keys and tokens. Tenants are named by slug or " +
  'id; users by id or exact email. Destructive tools need confirm: true: ask the user before. ' +
  'Secrets (client secrets, API keys, webhook secrets) appear once in the answer that creates ' +
  'them: hand them to the user and do not repeat them.';

/** One MCP server: its tools (all, or the reading ones), the tenant resource and the prompt. */
export function createMcpServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: 'hellojohn', title: 'HelloJohn', version: MCP_VERSION },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of toolsFor(options.readOnly)) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      (args: Record<string, unknown>) => callTool(tool, args, options.ctx, options.log),
    );
  }
  registerTenantResource(server, options.ctx);
  registerPrompts(server);
  return server;
}
