import { HelloJohnApiError } from '@hellojohn/sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from './context';
import type { Log } from './log';
import { MAX_OUTPUT_CHARS, type McpTool } from './tools';

function titleOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { title } = body as { title?: unknown };
  return typeof title === 'string' ? title : undefined;
}

/**
 * A failure as a tool error (`isError: true`) the assistant can read and act on: the problem
 * document's title, detail, code and field errors for an API answer, the message otherwise.
 */
function toolError(error: unknown): CallToolResult {
  if (error instanceof HelloJohnApiError) {
    const title = titleOf(error.body) ?? error.code;
    const fields = error.errors.map((field) => `${field.path}: ${field.message}`);
    const text = [
      `${title} (HTTP ${String(error.status)}, ${error.code})${error.detail ? `: ${error.detail}` : ''}`,
      ...fields,
      ...(error.requestId ? [`request id: ${error.requestId}`] : []),
    ].join('\n');
    // No structuredContent: clients check it against the tool's output schema, errors included.
    return { isError: true, content: [{ type: 'text', text }] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** The JSON text of a result, bounded (list tools trim themselves; this is the last guard). */
function boundedJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.length > MAX_OUTPUT_CHARS
    ? `${text.slice(0, MAX_OUTPUT_CHARS)}\n... (output cut at ${String(MAX_OUTPUT_CHARS)} characters)`
    : text;
}

/** Runs one tool call; never throws (a failure is a tool error), logs name, outcome and time. */
export async function callTool(
  tool: McpTool,
  args: Record<string, unknown>,
  ctx: ToolContext,
  log: Log,
): Promise<CallToolResult> {
  const started = performance.now();
  try {
    const result = await tool.run(args, ctx);
    log('info', 'tool call', {
      tool: tool.name,
      outcome: 'ok',
      ms: Math.round(performance.now() - started),
    });
    return {
      content: [
        { type: 'text', text: result.summary },
        { type: 'text', text: boundedJson(result.structured) },
      ],
      structuredContent: result.structured,
    };
  } catch (error) {
    const failure = toolError(error);
    log('warn', 'tool call', {
      tool: tool.name,
      outcome: 'error',
      ...(error instanceof HelloJohnApiError && { status: error.status, code: error.code }),
      ms: Math.round(performance.now() - started),
    });
    return failure;
  }
}
