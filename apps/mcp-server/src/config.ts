import { z } from 'zod';

/** How the server is reached and what it speaks to; read once by main.ts. */
export interface McpConfig {
  transport: 'stdio' | 'http';
  /** HTTP mode only. */
  port: number;
  host: string;
  /** `--read-only` (or HJ_MCP_READ_ONLY=true): only tools that change nothing are registered. */
  readOnly: boolean;
  /** The control plane (HJ_CP_URL). */
  cpUrl: string;
  /** The data plane (HJ_PUBLIC_URL). */
  publicUrl: string;
  /** stdio mode: a CP admin token or an API key (HJ_MCP_TOKEN)... */
  token?: string;
  /** ...or an admin's credentials to sign in with (HJ_MCP_EMAIL / HJ_MCP_PASSWORD). */
  email?: string;
  password?: string;
}

const env = z.object({
  HJ_CP_URL: z.url().default('http://localhost:8081'),
  HJ_PUBLIC_URL: z.url().default('http://localhost:8080'),
  HJ_MCP_TOKEN: z.string().min(1).optional(),
  HJ_MCP_EMAIL: z.string().min(1).optional(),
  HJ_MCP_PASSWORD: z.string().min(1).optional(),
  HJ_MCP_READ_ONLY: z.enum(['true', 'false']).optional(),
});

/** A bad command line or environment: main.ts prints it and exits non-zero. */
export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--'))
    throw new McpConfigError(`${flag} needs a value`);
  return value;
}

const KNOWN_FLAGS = new Set(['--http', '--port', '--host', '--read-only']);

/**
 * Reads `argv` (`--http`, `--port N`, `--host H`, `--read-only`) and the `HJ_*` variables. stdio
 * mode needs a credential up front; HTTP mode takes one bearer per request instead.
 *
 * @example
 * parseConfig(['--http', '--port', '8090'], process.env)
 */
export function parseConfig(
  argv: readonly string[],
  environment: Record<string, string | undefined>,
): McpConfig {
  for (const arg of argv) {
    if (arg.startsWith('--') && !KNOWN_FLAGS.has(arg)) {
      throw new McpConfigError(`unknown option ${arg} (known: ${[...KNOWN_FLAGS].join(', ')})`);
    }
  }
  const parsed = env.safeParse(environment);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new McpConfigError(issues.join('; '));
  }
  const vars = parsed.data;
  const transport = argv.includes('--http') ? 'http' : 'stdio';
  const portText = flagValue(argv, '--port') ?? '8090';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new McpConfigError(`--port must be a port number, not ${portText}`);
  }
  if (transport === 'stdio' && !vars.HJ_MCP_TOKEN && !(vars.HJ_MCP_EMAIL && vars.HJ_MCP_PASSWORD)) {
    throw new McpConfigError(
      'stdio mode needs HJ_MCP_TOKEN (a CP admin token or hjk_ API key) or HJ_MCP_EMAIL and HJ_MCP_PASSWORD',
    );
  }
  return {
    transport,
    port,
    host: flagValue(argv, '--host') ?? '127.0.0.1',
    readOnly: argv.includes('--read-only') || vars.HJ_MCP_READ_ONLY === 'true',
    cpUrl: vars.HJ_CP_URL.replace(/\/+$/, ''),
    publicUrl: vars.HJ_PUBLIC_URL.replace(/\/+$/, ''),
    ...(vars.HJ_MCP_TOKEN !== undefined && { token: vars.HJ_MCP_TOKEN }),
    ...(vars.HJ_MCP_EMAIL !== undefined && { email: vars.HJ_MCP_EMAIL }),
    ...(vars.HJ_MCP_PASSWORD !== undefined && { password: vars.HJ_MCP_PASSWORD }),
  };
}
