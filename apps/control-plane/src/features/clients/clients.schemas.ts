import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import { CLIENT_TYPES, GRANT_TYPES } from '@hellojohn/contracts';
import { z } from 'zod';
import {
  classifyRedirectUri,
  MAX_REDIRECT_URI_LENGTH,
  MAX_REDIRECT_URIS,
} from './check-redirect-uri';

const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

/** Flags the second and later copies of a value, at their index. */
function uniqueItems<T>(items: T[], ctx: z.core.$RefinementCtx<T[]>): void {
  const seen = new Set<T>();
  items.forEach((item, index) => {
    if (seen.has(item)) ctx.addIssue({ code: 'custom', message: 'is a duplicate', path: [index] });
    seen.add(item);
  });
}

/**
 * An array of distinct `item`s: duplicates are refused (one issue per copy) and the JSON Schema,
 * so OpenAPI and the SDK, says `uniqueItems: true` (a refinement alone is invisible there). The
 * check and the keyword come from here together, so neither goes without the other.
 */
function uniqueArray<T extends z.ZodType>(item: T) {
  return z.array(item).superRefine(uniqueItems).meta({ uniqueItems: true });
}

const ClientType = z
  .enum(CLIENT_TYPES)
  .describe('`confidential` clients get a secret; `public` clients (SPAs, native apps) do not.');

const GrantType = z.enum(GRANT_TYPES);

const RedirectUri = z
  .string()
  .min(1)
  .max(MAX_REDIRECT_URI_LENGTH)
  .superRefine((uri, ctx) => {
    // `.max()` already reported an over-long URI; one message per problem is enough.
    if (uri.length > MAX_REDIRECT_URI_LENGTH) return;
    const check = classifyRedirectUri(uri);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  });

const RedirectUris = uniqueArray(RedirectUri)
  .max(MAX_REDIRECT_URIS)
  .describe(
    'Exact-match redirect URIs: https, http on localhost/127.0.0.1/[::1], or (public clients) a private-use scheme.',
  );

const GrantTypes = uniqueArray(GrantType)
  .min(1)
  .describe('`client_credentials` is for confidential clients only.');

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const ScopeToken = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { error: 'must be a scope token (RFC 6749 §3.3)' });

const Scopes = uniqueArray(ScopeToken).max(100);

/** No NUL, no lone surrogate (docs/api.md, "Limits"). */
const ClientName = safeText().trim().min(1).max(200);

export const CreateClientBody = z.strictObject({
  name: ClientName,
  type: ClientType,
  redirect_uris: RedirectUris.default([]),
  grant_types: GrantTypes,
  scopes: Scopes.default(DEFAULT_SCOPES),
});

/** `type` cannot change: a client that had a secret would keep a dangling one, and vice versa. */
export const UpdateClientBody = z
  .strictObject({
    name: ClientName.optional(),
    redirect_uris: RedirectUris.optional(),
    grant_types: GrantTypes.optional(),
    scopes: Scopes.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

/** An empty body (or none): rotation takes no options, and a stray field is a mistake. */
export const RotateSecretBody = z.strictObject({}).optional();

const TenantRef = z.string().min(1).max(63).describe('Tenant id or slug.');
const ClientId = z.string().min(1).max(128);

export const TenantClientsParams = z.strictObject({ tenant: TenantRef });
export const ClientParams = z.strictObject({ tenant: TenantRef, client_id: ClientId });
export const ListClientsQuery = pageQuery;

export const Client = z.object({
  client_id: z.string(),
  name: z.string(),
  type: ClientType,
  redirect_uris: z.array(z.string()),
  grant_types: z.array(GrantType),
  scopes: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const CreatedClient = Client.extend({
  client_secret: z
    .string()
    .optional()
    .describe('Confidential clients only. Shown once: only its SHA-256 is stored.'),
});

export const ClientSecret = z.object({
  client_id: z.string(),
  client_secret: z.string().describe('Shown once: only its SHA-256 is stored.'),
});

export const ClientList = pageOf(Client);

export type CreateClientInput = z.output<typeof CreateClientBody>;
export type UpdateClientInput = z.output<typeof UpdateClientBody>;
export type ListClientsInput = z.output<typeof ListClientsQuery>;
export type ClientView = z.input<typeof Client>;
export type CreatedClientView = z.input<typeof CreatedClient>;
export type ClientSecretView = z.input<typeof ClientSecret>;
