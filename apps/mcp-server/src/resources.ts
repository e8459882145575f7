import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from './context';

const MAX_CLIENTS = 100;

/**
 * `hellojohn://tenants/{tenant}`: a tenant's configuration (the tenant with its settings, its
 * clients and API resources, first 100 each) as one JSON document an assistant can read into
 * context. Listing names the first page of tenants.
 */
export function registerTenantResource(server: McpServer, ctx: ToolContext): void {
  server.registerResource(
    'tenant',
    new ResourceTemplate('hellojohn://tenants/{tenant}', {
      list: async () => {
        const page = await ctx.cp.tenants.list({ limit: 100 });
        return {
          resources: page.data.map((tenant) => ({
            uri: `hellojohn://tenants/${tenant.slug}`,
            name: tenant.slug,
            title: tenant.name,
            description: `Configuration of tenant ${tenant.slug} (${tenant.status})`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: "A tenant's configuration",
      description:
        'The tenant (status, issuer, settings), its OAuth clients and its API resources, as JSON.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const slug = String(variables.tenant);
      const [tenant, clients, resources] = await Promise.all([
        ctx.cp.tenants.get(slug),
        ctx.cp.clients.list(slug, { limit: MAX_CLIENTS }),
        ctx.cp.resources.list(slug, { limit: MAX_CLIENTS }),
      ]);
      const document = {
        tenant,
        clients: clients.data,
        clients_truncated: clients.next_cursor !== null,
        resources: resources.data,
        resources_truncated: resources.next_cursor !== null,
      };
      return {
        contents: [
          { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(document, null, 2) },
        ],
      };
    },
  );
}
