import { z } from 'zod';
import { pageOf } from '../page';

export const CLIENT_TYPES = ['public', 'confidential'] as const;
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/**
 * An OAuth client as the data plane reads it from `GET /internal/v1/tenants/{tenant}/clients/{id}`:
 * its public configuration plus the SHA-256 it compares presented secrets against.
 */
export const InternalClient = z.object({
  client_id: z.string(),
  tenant_id: z.string(),
  name: z.string(),
  type: z.enum(CLIENT_TYPES),
  redirect_uris: z.array(z.string()),
  grant_types: z.array(z.enum(GRANT_TYPES)),
  scopes: z.array(z.string()),
  secret_hash: z.string().nullable().describe('SHA-256 hex of the secret; null for public.'),
  created_at: z.string(),
  updated_at: z.string(),
});

/** `GET /internal/v1/tenants/{tenant}/clients`. */
export const InternalClientPage = pageOf(InternalClient);

export type InternalClient = z.infer<typeof InternalClient>;
export type InternalClientPage = z.infer<typeof InternalClientPage>;
export type ClientType = (typeof CLIENT_TYPES)[number];
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * Narrows a stored grant-type string to the contract's union (rows keep plain strings).
 *
 * @example
 * row.grantTypes.filter(isGrantType);
 */
export function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}
