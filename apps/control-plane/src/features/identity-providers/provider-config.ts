import {
  AttributeMapping,
  IDENTITY_PROVIDER_TYPES,
  ProviderEndpoints,
  type IdentityProviderType,
} from '@hellojohn/contracts';
import { z } from 'zod';

/** What the `config` column holds: everything but the sealed secret. Read back leniently. */
export const StoredProviderConfig = z.object({
  issuer: z.string().nullable().default(null),
  client_id: z.string(),
  scopes: z.array(z.string()),
  attribute_mapping: AttributeMapping.default({
    email: 'email',
    name: 'name',
    picture: 'picture',
  }),
  icon_url: z.string().nullable().default(null),
  button_label: z.string().nullable().default(null),
  store_upstream_tokens: z.boolean().default(false),
  apple: z.object({ team_id: z.string(), key_id: z.string() }).nullable().default(null),
  endpoints: ProviderEndpoints.default({}),
});
export type StoredProviderConfig = z.output<typeof StoredProviderConfig>;

/** Scopes asked of a provider when the operator names none. */
export const DEFAULT_SCOPES: Readonly<Record<IdentityProviderType, readonly string[]>> = {
  oidc: ['openid', 'email', 'profile'],
  google: ['openid', 'email', 'profile'],
  microsoft: ['openid', 'email', 'profile'],
  github: ['read:user', 'user:email'],
  apple: ['name', 'email'],
};

/** A stored type this control plane knows (rows are only written through the API). */
export function providerTypeOf(type: string): IdentityProviderType {
  return z.enum(IDENTITY_PROVIDER_TYPES).parse(type);
}
