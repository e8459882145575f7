// The control plane's identity-provider routes (docs/federation.md): a tenant's upstream social
// and enterprise sign-in. Wire types read from the OpenAPI document like every REST type.
import type { paths } from '../generated/control-plane';
import { seg, type Send } from './http-client';
import type { Body, Json, QueryOf } from './wire';

/** An upstream identity provider as the control plane shows it: never its secret or key. */
export type IdentityProvider = Json<paths['/v1/tenants/{tenant}/identity-providers/{id}']['get']>;
export type IdentityProviderList = Json<paths['/v1/tenants/{tenant}/identity-providers']['get']>;
/** `client_secret` (or `apple.private_key`) goes in and is stored encrypted; it never comes out. */
export type CreateIdentityProviderInput = Body<
  paths['/v1/tenants/{tenant}/identity-providers']['post']
>;
export type UpdateIdentityProviderInput = Body<
  paths['/v1/tenants/{tenant}/identity-providers/{id}']['patch']
>;
export type IdentityProvidersQuery = QueryOf<
  paths['/v1/tenants/{tenant}/identity-providers']['get']
>;

/** `/v1/tenants/{tenant}/identity-providers[/{id}]`, with the client's own credential. */
export function identityProvidersApi(send: Send) {
  const base = (tenant: string): string => `/v1/tenants/${seg(tenant)}/identity-providers`;
  const one = (tenant: string, id: string): string => `${base(tenant)}/${seg(id)}`;
  return {
    create: (tenant: string, body: CreateIdentityProviderInput) =>
      send<IdentityProvider>({ method: 'POST', path: base(tenant), body }),
    list: (tenant: string, query?: IdentityProvidersQuery) =>
      send<IdentityProviderList>({ method: 'GET', path: base(tenant), query: { ...query } }),
    get: (tenant: string, id: string) =>
      send<IdentityProvider>({ method: 'GET', path: one(tenant, id) }),
    /** Changes only the fields given; a `client_secret` or `apple` given replaces the stored one. */
    update: (tenant: string, id: string, body: UpdateIdentityProviderInput) =>
      send<IdentityProvider>({ method: 'PATCH', path: one(tenant, id), body }),
    /** Its users keep their accounts; their links to it stop working. */
    delete: (tenant: string, id: string) =>
      send<undefined>({ method: 'DELETE', path: one(tenant, id) }),
  };
}
