import { randomUUID } from 'node:crypto';

export const MCP_VERSION = '0.1.0';
const MCP_USER_AGENT = `hellojohn-mcp/${MCP_VERSION}`;

/**
 * A fetch that marks every call as the MCP server's: `User-Agent: hellojohn-mcp/<version>`,
 * `X-HelloJohn-Actor: mcp-server`, and an `X-Request-Id` starting `mcp-`. The planes keep a
 * well-formed caller request id and the control plane's audit log records it beside the actor
 * (the admin or API key whose bearer was sent), so an operator can tell MCP writes apart by
 * `request_id` (docs/mcp.md, "Who did it").
 */
export function actorFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('user-agent', MCP_USER_AGENT);
    headers.set('x-hellojohn-actor', 'mcp-server');
    if (!headers.has('x-request-id')) headers.set('x-request-id', `mcp-${randomUUID()}`);
    return base(input, { ...init, headers });
  };
}
