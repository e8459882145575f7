import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolContext } from '../context';

/**
 * `read` changes nothing; `write` creates or changes; `destructive` deletes, revokes or replaces
 * something that cannot be had back (those take `confirm: true`).
 */
export type ToolKind = 'read' | 'write' | 'destructive';

/** What a tool answers: the structured result, and one line for a human reading along. */
export interface ToolResult {
  structured: Record<string, unknown>;
  summary: string;
}

export interface ToolDefinition<Shape extends z.ZodRawShape> {
  /** `<area>_<verb>`, e.g. `tenants_list`. */
  name: string;
  title: string;
  /** What it does, when to use it, what it answers: an assistant acts on this alone. */
  description: string;
  kind: ToolKind;
  /** Calling it twice with the same arguments has no further effect. */
  idempotent: boolean;
  input: Shape;
  /** Arguments of a typical call, for docs/mcp.md (a unit test checks they are valid). */
  example: Record<string, unknown>;
  /** The shape of `structured` (the tool's `outputSchema`). */
  output: z.ZodRawShape;
  run: (args: z.output<z.ZodObject<Shape>>, ctx: ToolContext) => Promise<ToolResult>;
}

/** A tool with its types erased, as the server registers it. */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  kind: ToolKind;
  input: z.ZodObject;
  example: Record<string, unknown>;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  run: (args: Record<string, unknown>, ctx: ToolContext) => Promise<ToolResult>;
}

const confirmField = z
  .literal(true)
  .describe(
    'Must be true, once the user has agreed: this deletes, revokes, replaces or cuts off something. Without it the call is refused.',
  );

/**
 * Declares a tool. Unknown arguments are refused (strict objects); a destructive tool gains a
 * required `confirm: true`; annotations follow from `kind` and `idempotent`.
 */
export function defineTool<Shape extends z.ZodRawShape>(
  definition: ToolDefinition<Shape>,
): McpTool {
  const destructive = definition.kind === 'destructive';
  const input = destructive
    ? z.strictObject({ ...definition.input, confirm: confirmField })
    : z.strictObject(definition.input);
  return {
    name: definition.name,
    title: definition.title,
    description: destructive
      ? `${definition.description} Destructive: requires confirm: true.`
      : definition.description,
    kind: definition.kind,
    input,
    example: definition.example,
    // Loose: the planes' answers carry more fields than the few an output schema names.
    output: z.looseObject(definition.output),
    annotations: {
      title: definition.title,
      readOnlyHint: definition.kind === 'read',
      destructiveHint: destructive,
      idempotentHint: definition.kind === 'read' || definition.idempotent,
      openWorldHint: false,
    },
    run: (args, ctx) => definition.run(args as z.output<z.ZodObject<Shape>>, ctx),
  };
}

/** `limit` and `cursor` of every list tool (docs/api.md: `{ data, next_cursor }`). */
export const pageInput = {
  limit: z.number().int().min(1).max(100).default(20).describe('Page size, 1-100 (default 20).'),
  cursor: z
    .string()
    .min(1)
    .optional()
    .describe("The previous page's next_cursor, to fetch the page after it."),
};

/** The SDK's page query from a list tool's arguments (an absent cursor is not sent). */
export function pageQuery(args: { limit: number; cursor?: string | undefined }): {
  limit: number;
  cursor?: string;
} {
  return { limit: args.limit, ...(args.cursor && { cursor: args.cursor }) };
}

/** The output of every list tool. */
export const pageOutput = {
  items: z.array(z.record(z.string(), z.unknown())),
  next_cursor: z.string().nullable(),
  truncated: z.boolean(),
};

export const tenantInput = z
  .string()
  .min(1)
  .max(200)
  .describe('The tenant: its slug (e.g. "acme") or id.');

/** Limits what one answer may hold, so an assistant's context is not flooded. */
export const MAX_OUTPUT_CHARS = 60_000;

/**
 * A page as a tool answers it. Items past the size budget are left out and `truncated` says so:
 * ask again with a smaller `limit` (the cursor continues after the last item of the full page).
 */
export function pageResult(
  page: { data: readonly object[]; next_cursor: string | null },
  noun: string,
): ToolResult {
  const items = page.data.map((item) => ({ ...item }));
  let truncated = false;
  while (items.length > 0 && JSON.stringify(items).length > MAX_OUTPUT_CHARS) {
    items.pop();
    truncated = true;
  }
  const more = page.next_cursor ? '; more: pass next_cursor as cursor' : '';
  const cut = truncated
    ? `; output trimmed to ${String(items.length)} of ${String(page.data.length)}: ask again with limit=${String(Math.max(1, items.length))}`
    : '';
  return {
    structured: { items, next_cursor: page.next_cursor, truncated },
    summary: `${String(items.length)} ${noun}${more}${cut}`,
  };
}

/** A single object as a tool answers it. */
export function itemResult(item: object, summary: string): ToolResult {
  return { structured: { ...item }, summary };
}

/** The given fields only: an argument left out is not sent (a PATCH then keeps its value). */
export function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
