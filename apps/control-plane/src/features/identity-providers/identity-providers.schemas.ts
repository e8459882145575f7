import { AttributeMapping, IDENTITY_PROVIDER_TYPES } from '@hellojohn/contracts';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import { z } from 'zod';
import { ScopeToken, TenantRef, uniqueArray } from '../clients';

/** Loopback hosts may be plain http (a local provider in development and tests); others https. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `value` cannot be an upstream URL, or undefined when it can. */
function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'must be https (plain http only on localhost)';
}

const UpstreamUrl = z
  .string()
  .min(1)
  .max(500)
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Microsoft Entra ID: a directory (tenant) id or domain, or a multi-tenant audience. */
const MicrosoftTenant = z
  .string()
  .regex(/^(?:common|organizations|consumers|[0-9a-f-]{36}|[a-z0-9.-]{1,200})$/i, {
    error: 'must be a directory id or domain, or common, organizations or consumers',
  });

const Issuer = z
  .string()
  .min(1)
  .max(500)
  .describe(
    "`oidc`: the provider's issuer URL (discovery at `{issuer}/.well-known/openid-configuration`). `microsoft`: the directory (tenant id or domain), or `common` / `organizations` / `consumers` (default `common`). Ignored by the other presets.",
  );

const Endpoints = z
  .strictObject({
    issuer: UpstreamUrl.optional(),
    authorization: UpstreamUrl.optional(),
    token: UpstreamUrl.optional(),
    userinfo: UpstreamUrl.optional(),
    jwks: UpstreamUrl.optional(),
    api: UpstreamUrl.optional(),
  })
  .describe(
    "Overrides of the preset's (or discovery's) endpoints, each an absolute URL: GitHub Enterprise Server (`authorization`, `token`, `api`), or local stand-ins in tests. `issuer` replaces the issuer the ID token must carry.",
  );

const Apple = z
  .strictObject({
    team_id: z.string().regex(/^[A-Z0-9]{10}$/, { error: 'must be the 10-character Team ID' }),
    key_id: z.string().regex(/^[A-Z0-9]{10}$/, { error: 'must be the 10-character Key ID' }),
    private_key: z
      .string()
      .max(4000)
      .regex(/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/, {
        error: 'must be the .p8 key (PEM, PKCS #8)',
      })
      .describe('The Sign in with Apple key (.p8); stored encrypted, never shown again.'),
  })
  .describe('Apple only: the client secret is a JWT signed with this key (ES256).');

const Name = safeText().trim().min(1).max(200);
const ClientId = z.string().trim().min(1).max(500);
const ClientSecret = z
  .string()
  .min(1)
  .max(2000)
  .describe('Stored encrypted; never returned. Not for `apple` (see `apple`).');
const Scopes = uniqueArray(ScopeToken).max(30);
const Mapping = z.strictObject({
  email: z.string().min(1).max(100).optional(),
  name: z.string().min(1).max(100).optional(),
  picture: z.string().min(1).max(100).optional(),
});
const IconUrl = UpstreamUrl.nullable().describe('An https image shown on the button.');
const ButtonLabel = safeText().trim().min(1).max(100).nullable();
const StoreUpstreamTokens = z
  .boolean()
  .describe("Keep the provider's tokens (encrypted) with the linked identity. Default false.");

const Type = z.enum(IDENTITY_PROVIDER_TYPES);

/** The rules that tie fields to the type, shared by create and the merged result of an update. */
export function checkProviderShape(
  p: {
    type: (typeof IDENTITY_PROVIDER_TYPES)[number];
    issuer?: string | null | undefined;
    hasSecret: boolean;
    hasApple: boolean;
  },
  ctx: { addIssue: (issue: { code: 'custom'; message: string; path: string[] }) => void },
): void {
  if (p.type === 'oidc') {
    const problem = p.issuer ? urlProblem(p.issuer) : 'is required for type oidc';
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['issuer'] });
  }
  if (p.type === 'microsoft' && p.issuer && !MicrosoftTenant.safeParse(p.issuer).success) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a directory id or domain, or common, organizations or consumers',
      path: ['issuer'],
    });
  }
  if (p.type === 'apple') {
    if (!p.hasApple) {
      ctx.addIssue({ code: 'custom', message: 'is required for type apple', path: ['apple'] });
    }
    if (p.hasSecret) {
      ctx.addIssue({
        code: 'custom',
        message: 'is not used by apple (the key in `apple` signs one)',
        path: ['client_secret'],
      });
    }
  } else {
    if (!p.hasSecret) {
      ctx.addIssue({ code: 'custom', message: 'is required', path: ['client_secret'] });
    }
    if (p.hasApple) {
      ctx.addIssue({ code: 'custom', message: 'is for type apple only', path: ['apple'] });
    }
  }
}

export const CreateIdentityProviderBody = z
  .strictObject({
    type: Type,
    name: Name,
    issuer: Issuer.optional(),
    client_id: ClientId,
    client_secret: ClientSecret.optional(),
    scopes: Scopes.optional().describe(
      'Scopes asked of the provider; default per type (`openid email profile`, GitHub `read:user user:email`, Apple `name email`).',
    ),
    enabled: z.boolean().default(true),
    attribute_mapping: Mapping.default({}).describe(
      'Upstream claim names for `email`, `name` and `picture` (defaults: the same names).',
    ),
    icon_url: IconUrl.default(null),
    button_label: ButtonLabel.default(null).describe('Default: "Continue with {name}".'),
    store_upstream_tokens: StoreUpstreamTokens.default(false),
    apple: Apple.optional(),
    endpoints: Endpoints.default({}),
  })
  .superRefine((body, ctx) => {
    checkProviderShape(
      {
        type: body.type,
        issuer: body.issuer,
        hasSecret: body.client_secret !== undefined,
        hasApple: body.apple !== undefined,
      },
      ctx,
    );
  });

export const UpdateIdentityProviderBody = z
  .strictObject({
    name: Name.optional(),
    issuer: Issuer.optional(),
    client_id: ClientId.optional(),
    client_secret: ClientSecret.optional().describe('Replaces the stored secret.'),
    scopes: Scopes.optional(),
    enabled: z.boolean().optional(),
    attribute_mapping: Mapping.optional(),
    icon_url: IconUrl.optional(),
    button_label: ButtonLabel.optional(),
    store_upstream_tokens: StoreUpstreamTokens.optional(),
    apple: Apple.optional().describe('Replaces the stored key.'),
    endpoints: Endpoints.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

const IdentityProviderId = z.uuid().describe('The id the control plane gave the provider.');

export const TenantIdentityProvidersParams = z.strictObject({ tenant: TenantRef });
export const IdentityProviderParams = z.strictObject({
  tenant: TenantRef,
  id: IdentityProviderId,
});
export const ListIdentityProvidersQuery = pageQuery;

export const IdentityProvider = z.object({
  id: z.string(),
  type: Type,
  name: z.string(),
  enabled: z.boolean(),
  issuer: z.string().nullable(),
  client_id: z.string(),
  client_secret_set: z.boolean().describe('Whether a secret (or Apple key) is stored.'),
  scopes: z.array(z.string()),
  attribute_mapping: AttributeMapping,
  icon_url: z.string().nullable(),
  button_label: z.string().nullable(),
  store_upstream_tokens: z.boolean(),
  apple: z.object({ team_id: z.string(), key_id: z.string() }).nullable(),
  endpoints: z.record(z.string(), z.string()),
  callback_url: z
    .string()
    .describe(
      'The redirect URI to register at the provider: `{HJ_PUBLIC_URL}/t/{slug}/login/federated/{id}/callback`.',
    ),
  created_at: z.string(),
  updated_at: z.string(),
});

export const IdentityProviderList = pageOf(IdentityProvider);

export type CreateIdentityProviderInput = z.output<typeof CreateIdentityProviderBody>;
export type UpdateIdentityProviderInput = z.output<typeof UpdateIdentityProviderBody>;
export type ListIdentityProvidersInput = z.output<typeof ListIdentityProvidersQuery>;
export type IdentityProviderView = z.input<typeof IdentityProvider>;
