import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** "Set up a new tenant with a web client": the steps, in the tools' own words. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'setup_tenant_with_web_client',
    {
      title: 'Set up a new tenant with a web client',
      description:
        'Creates a tenant, waits until it is active, and registers a confidential web client for ' +
        'a server-side app with the authorization code flow.',
      argsSchema: {
        slug: z.string().describe('Tenant slug: lowercase letters, digits and hyphens; permanent.'),
        name: z.string().describe('Tenant display name.'),
        redirect_uri: z
          .string()
          .describe("The web app's callback, e.g. https://app.example.com/callback."),
      },
    },
    ({ slug, name, redirect_uri: redirectUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Set up a HelloJohn tenant "${name}" (slug ${slug}) with a web client. Steps:`,
              `1. Call tenants_create with slug "${slug}" and name "${name}". If the answer's status is ` +
                '"failed", report status_reason and stop; if still "provisioning", call ' +
                'tenants_provisioning_status with wait_seconds 60.',
              `2. Call clients_create with tenant "${slug}", name "${name} web", type "confidential", ` +
                `grant_types ["authorization_code", "refresh_token"], redirect_uris ["${redirectUri}"], ` +
                `allowed_origins ["${new URL(redirectUri).origin}"] and first_party true.`,
              '3. Tell me the issuer (from the tenant), the client_id and the client_secret. Say ' +
                'clearly that the secret is shown this once and must be stored now (for example in ' +
                "the app's secret store); do not repeat it afterwards.",
              '4. Read hellojohn://tenants/' + slug + ' and summarise the configuration.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}
