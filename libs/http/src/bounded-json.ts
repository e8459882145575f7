import { z } from 'zod';

const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/** `String.prototype.isWellFormed` (ES2024, Node 20); the project's `lib` is ES2023. */
type Es2024String = string & { isWellFormed(): boolean };

/** No NUL, and well-formed Unicode: no UTF-16 surrogate without its other half. */
const isSafeText = (text: string): boolean =>
  !text.includes('\u0000') && (text as Es2024String).isWellFormed();

/**
 * A string that holds no NUL character and is well-formed Unicode (no unpaired UTF-16
 * surrogate): NUL truncates C strings and PostgreSQL refuses it in text, and a lone surrogate is
 * not Unicode: encoded as UTF-8 it turns into U+FFFD (or an error, depending on the consumer), so
 * two different strings would store, hash or compare as one (`pass\ud800` and `pass\udfff`
 * would be the same password). Refused with one issue on the field (400 `validation_failed`
 * naming it, through `endpoint()`).
 *
 * With no argument, a `z.string()` to chain the usual checks on; given a string schema (an
 * email, a format), that schema with the refinement added, its JSON Schema unchanged.
 *
 * @example
 * const Name = safeText().trim().min(1).max(200);
 * const AdminEmail = safeText(z.email().max(254));
 */
export function safeText(): z.ZodString;
export function safeText<T extends z.ZodType<string, string>>(schema: T): T;
export function safeText(
  schema: z.ZodType<string, string> = z.string(),
): z.ZodType<string, string> {
  return schema.refine(isSafeText, { error: UNSAFE_TEXT_MESSAGE });
}

/** Bounds of a free-form JSON field. */
export interface JsonLimits {
  /** Nesting levels, the field's own object included: `{}` is 1 level, `{"a":[]}` is 2. */
  maxDepth: number;
  /** Size as UTF-8 JSON (`JSON.stringify`), in bytes. */
  maxBytes: number;
  /** Object members in total, at every level. */
  maxMembers: number;
}

/**
 * What is wrong with `root`, or undefined. Walks with an explicit stack, never recursion, and
 * stops at the first level past `maxDepth`, so a 10,000-deep value costs 9 steps and overflows
 * nothing; `JSON.stringify` (which recurses) only runs once the depth is known to be small.
 */
function jsonProblem(root: unknown, limits: JsonLimits): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
  let members = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      if (!isSafeText(value)) return UNSAFE_TEXT_MESSAGE;
      continue;
    }
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'must be JSON';
      continue;
    }
    if (typeof value !== 'object') return 'must be JSON';
    if (depth > limits.maxDepth) return `must be nested at most ${limits.maxDepth} levels deep`;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      members += 1;
      if (members > limits.maxMembers) return `must have at most ${limits.maxMembers} members`;
      if (!isSafeText(key)) return UNSAFE_TEXT_MESSAGE;
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  if (Buffer.byteLength(JSON.stringify(root), 'utf8') > limits.maxBytes) {
    return `must be at most ${limits.maxBytes} bytes as JSON`;
  }
  return undefined;
}

/**
 * A free-form JSON object (user metadata and the like), bounded so that storing, logging or
 * serialising it stays cheap: at most `maxDepth` levels, `maxMembers` object members and
 * `maxBytes` of JSON, with no NUL or lone surrogate in any key or string. One issue, on the field
 * itself, names the first limit exceeded (400 `validation_failed` through `endpoint()`).
 *
 * @example
 * const Metadata = boundedJson({ maxDepth: 8, maxBytes: 8 * 1024, maxMembers: 256 });
 */
export function boundedJson(limits: JsonLimits) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      const problem = jsonProblem(value, limits);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      `Free-form JSON object: at most ${limits.maxDepth} levels deep, ` +
        `${limits.maxMembers} members and ${limits.maxBytes} bytes as JSON.`,
    );
}
