import { z } from 'zod';

/**
 * Claims HelloJohn sets itself (RFC 7519, RFC 9068, OIDC Core and its own): a custom claim may
 * never shadow one, so a misconfiguration cannot forge an issuer, a subject or a permission.
 */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'tid',
  'sid',
  'scope',
  'client_id',
  'azp',
  'nonce',
  'auth_time',
  'at_hash',
  'c_hash',
  'amr',
  'acr',
  'typ',
  'cnf',
  'act',
  'roles',
  'permissions',
  'permissions_ref',
  'org_id',
  'org_role',
  'organizations',
  'email',
  'email_verified',
  'name',
  'updated_at',
]);

/** The most rules a tenant or a client may define. */
export const MAX_CUSTOM_CLAIMS = 20;

/** Custom claims of one token serialize to at most this many bytes; past it, later ones are dropped. */
export const CUSTOM_CLAIMS_BUDGET_BYTES = 2048;

/**
 * Where a claim's value may come from: a dotted path under one of these roots, nothing else (no
 * password, no factor, no hash is reachable).
 */
const CLAIM_SOURCE_ROOTS = [
  'id',
  'email',
  'email_verified',
  'name',
  'created_at',
  'metadata',
  'roles',
  'org',
] as const;

/** Under `org`, the active organization's fields. */
const ORG_FIELDS = new Set(['id', 'slug', 'name', 'role', 'metadata']);

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** Why `path` cannot name a claim source, or undefined when it can. */
function sourcePathProblem(path: string): string | undefined {
  const segments = path.split('.');
  if (segments.length > 8 || !segments.every((segment) => SEGMENT.test(segment))) {
    return 'must be a dotted path of letters, digits, "_" or "-" (at most 8 parts)';
  }
  const [root, second] = segments;
  if (!(CLAIM_SOURCE_ROOTS as readonly string[]).includes(root ?? '')) {
    return `must start with one of ${CLAIM_SOURCE_ROOTS.join(', ')}`;
  }
  if (root === 'metadata') return undefined;
  if (root === 'org') {
    if (second === undefined || !ORG_FIELDS.has(second))
      return 'must be org.<id|slug|name|role|metadata…>';
    if (second !== 'metadata' && segments.length > 2) return `org.${second} has no fields`;
    return undefined;
  }
  if (segments.length > 1) return `${root} has no fields`;
  return undefined;
}

const SourcePath = z
  .string()
  .min(1)
  .max(200)
  .superRefine((path, ctx) => {
    const problem = sourcePathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A fixed value: JSON, small. Not `z.json()`: its recursive schema has no OpenAPI rendering the
 * SDK generator resolves, and nesting is already bounded by the size.
 */
const FixedValue = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.unknown()),
    z.record(z.string(), z.unknown()),
  ])
  .refine((value) => JSON.stringify(value).length <= 512, {
    error: 'must be a JSON value of at most 512 bytes',
  });

const Primitive = z.union([z.string().max(200), z.number(), z.boolean()]);

/**
 * One custom claim: `claim` takes the value at `from` (a path into the user or their active
 * organization) or the fixed `value`, in the `tokens` named, only `when` the condition holds.
 * Declarative only: nothing here can run code.
 */
export const customClaimSchema = z
  .strictObject({
    claim: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.:/-]{0,63}$/, {
        error: 'must be letters, digits, "_", ".", ":", "/" or "-", starting with a letter or "_"',
      })
      .refine((claim) => !RESERVED_CLAIMS.has(claim), {
        error: 'is a claim HelloJohn sets itself (reserved)',
      })
      .describe('The claim name, e.g. `plan` or `https://example.com/plan`.'),
    from: SourcePath.optional().describe(
      'A dotted path into the user: `email`, `email_verified`, `name`, `id`, `created_at`, `roles`, `metadata.<path>`, or the active organization: `org.id|slug|name|role`, `org.metadata.<path>`.',
    ),
    value: FixedValue.optional().describe('A fixed JSON value instead of `from`.'),
    tokens: z
      .array(z.enum(['access', 'id', 'userinfo']))
      .min(1)
      .max(3)
      .describe('Where the claim goes.'),
    when: z
      .strictObject({ from: SourcePath, equals: Primitive })
      .optional()
      .describe('Only when the value at `from` equals `equals`.'),
  })
  .superRefine((rule, ctx) => {
    if ((rule.from === undefined) === (rule.value === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'give exactly one of from or value',
      });
    }
  });

/** Custom claim rules, each claim at most once. */
export const customClaimsSchema = z
  .array(customClaimSchema)
  .max(MAX_CUSTOM_CLAIMS)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.claim)) {
        ctx.addIssue({ code: 'custom', path: [index, 'claim'], message: 'is a duplicate' });
      }
      seen.add(rule.claim);
    });
  });

export type CustomClaimRule = z.infer<typeof customClaimSchema>;
