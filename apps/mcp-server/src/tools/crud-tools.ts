import { z } from 'zod';
import type { ToolContext } from '../context';
import {
  defined,
  defineTool,
  itemResult,
  type McpTool,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';

/**
 * The SDK calls behind a tenant's resource. Bodies are `never` so that an SDK method with its own
 * typed body (`CreateWebhookInput`, ...) fits as it is: the tool's strict zod schema is what
 * shapes the body, and the plane validates it again.
 */
export interface CrudApi<Item extends object> {
  list?: (
    tenant: string,
    query: { limit: number; cursor?: string },
  ) => Promise<{ data: readonly object[]; next_cursor: string | null }>;
  get?: (tenant: string, id: string) => Promise<Item>;
  create?: (tenant: string, body: never) => Promise<Item>;
  update?: (tenant: string, id: string, body: never) => Promise<Item>;
  delete?: (tenant: string, id: string) => Promise<unknown>;
}

/** What every tool of a resource says for itself. */
interface ToolText {
  title: string;
  /** What it does, when to use it, what it answers: an assistant acts on this alone. */
  description: string;
  example: Record<string, unknown>;
}

interface WriteText<Item> extends ToolText {
  /** The body's fields, besides `tenant` (and, for an update, the id argument). */
  input: z.ZodRawShape;
  /** The answer's shape, when it differs from the resource's (e.g. a secret shown once). */
  output?: z.ZodRawShape;
  /** The one-line summary, when "created <label>" is not enough (e.g. "secret shown once"). */
  summary?: (item: Item) => string;
}

export interface CrudSpec<Item extends object> {
  /** The tools' name prefix, e.g. `webhooks` (then `webhooks_list`, `webhooks_get`, ...). */
  area: string;
  /** Plural, for list summaries: "webhooks". */
  noun: string;
  /** The id argument's name and schema, e.g. `webhook_id`. */
  id: { name: string; schema: z.ZodType<string> };
  /** The shape of one resource in answers (the get, create and update `outputSchema`). */
  output: z.ZodRawShape;
  /** How a summary names one resource, e.g. its URL. */
  label: (item: Item) => string;
  sdk: (ctx: ToolContext) => CrudApi<Item>;
  list?: ToolText;
  get?: ToolText;
  create?: WriteText<Item>;
  update?: WriteText<Item>;
  delete?: ToolText;
}

/** A tool's parsed arguments: its schema starts with `tenant`; the id key is `spec.id.name`. */
type Args = Record<string, unknown> & { tenant: string };

function call<K extends keyof CrudApi<object>, Item extends object>(
  spec: CrudSpec<Item>,
  ctx: ToolContext,
  op: K,
): NonNullable<CrudApi<Item>[K]> {
  const fn = spec.sdk(ctx)[op];
  if (!fn) throw new Error(`${spec.area}: the SDK has no ${op}`);
  return fn;
}

/**
 * The list / get / create / update / delete tools of one tenant resource, declared once: a
 * resource file states only what differs (its fields, words and SDK calls). Kinds and hints follow
 * the REST verbs: list and get read; create writes (not idempotent); update writes (idempotent);
 * delete is destructive and idempotent, so it asks for `confirm: true`.
 */
export function crudTools<Item extends object>(spec: CrudSpec<Item>): McpTool[] {
  const idName = spec.id.name;
  const idOf = (args: object): string => (args as Args)[idName] as string;
  const tenantOf = (args: object): string => (args as Args).tenant;
  /** The body: every argument but the tenant and the id, and only those given. */
  const bodyOf = (args: object): never =>
    defined(
      Object.fromEntries(
        Object.entries(args).filter(([key]) => key !== 'tenant' && key !== idName),
      ),
    ) as never;
  const tools: McpTool[] = [];
  if (spec.list) {
    tools.push(
      defineTool({
        name: `${spec.area}_list`,
        ...spec.list,
        kind: 'read',
        idempotent: true,
        input: { tenant: tenantInput, ...pageInput },
        output: pageOutput,
        run: async (args, ctx) =>
          pageResult(await call(spec, ctx, 'list')(args.tenant, pageQuery(args)), spec.noun),
      }),
    );
  }
  if (spec.get) {
    tools.push(
      defineTool({
        name: `${spec.area}_get`,
        ...spec.get,
        kind: 'read',
        idempotent: true,
        input: { tenant: tenantInput, [idName]: spec.id.schema },
        output: spec.output,
        run: async (args, ctx) => {
          const item = await call(spec, ctx, 'get')(tenantOf(args), idOf(args));
          return itemResult(item, spec.label(item));
        },
      }),
    );
  }
  /** Create and update differ only in the id argument, idempotency and the SDK call. */
  const write = (
    op: 'create' | 'update',
    text: WriteText<Item>,
    send: (ctx: ToolContext, args: object) => Promise<Item>,
  ) =>
    defineTool({
      name: `${spec.area}_${op}`,
      title: text.title,
      description: text.description,
      example: text.example,
      kind: 'write',
      idempotent: op === 'update',
      input: {
        tenant: tenantInput,
        ...(op === 'update' && { [idName]: spec.id.schema }),
        ...text.input,
      },
      output: text.output ?? spec.output,
      run: async (args, ctx) => {
        const item = await send(ctx, args);
        return itemResult(item, text.summary?.(item) ?? `${op}d ${spec.label(item)}`);
      },
    });
  if (spec.create) {
    tools.push(
      write('create', spec.create, (ctx, args) =>
        call(spec, ctx, 'create')(tenantOf(args), bodyOf(args)),
      ),
    );
  }
  if (spec.update) {
    tools.push(
      write('update', spec.update, (ctx, args) =>
        call(spec, ctx, 'update')(tenantOf(args), idOf(args), bodyOf(args)),
      ),
    );
  }
  if (spec.delete) {
    tools.push(
      defineTool({
        name: `${spec.area}_delete`,
        ...spec.delete,
        kind: 'destructive',
        idempotent: true,
        input: { tenant: tenantInput, [idName]: spec.id.schema },
        output: { deleted: z.string() },
        run: async (args, ctx) => {
          const id = idOf(args);
          await call(spec, ctx, 'delete')(tenantOf(args), id);
          return itemResult({ deleted: id }, `deleted ${id}`);
        },
      }),
    );
  }
  return tools;
}
