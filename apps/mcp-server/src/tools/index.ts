import { clientTools } from './clients.tools';
import { deadLetterTools } from './dead-letters.tools';
import type { McpTool } from './define-tool';
import { identityProviderTools } from './identity-providers.tools';
import { keyTools } from './keys.tools';
import { operatorTools } from './operators.tools';
import { organizationTools } from './organizations.tools';
import { resourceTools } from './resources.tools';
import { roleTools } from './roles.tools';
import { sessionTools } from './sessions.tools';
import { tenantTools } from './tenants.tools';
import { userTools } from './users.tools';
import { webhookTools } from './webhooks.tools';

/** Every tool, in the order they are listed (docs/mcp.md keeps the same table). */
export const allTools: readonly McpTool[] = [
  ...tenantTools,
  ...clientTools,
  ...resourceTools,
  ...identityProviderTools,
  ...operatorTools,
  ...webhookTools,
  ...userTools,
  ...sessionTools,
  ...roleTools,
  ...organizationTools,
  ...keyTools,
  ...deadLetterTools,
];

/** The tools a server registers: in read-only mode only those that change nothing. */
export function toolsFor(readOnly: boolean): readonly McpTool[] {
  return readOnly ? allTools.filter((tool) => tool.kind === 'read') : allTools;
}

export type { McpTool } from './define-tool';
export { MAX_OUTPUT_CHARS } from './define-tool';
