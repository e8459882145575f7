import { endpoint } from '@hellojohn/http';
import {
  CreateIdentityProviderBody,
  IdentityProvider,
  IdentityProviderList,
  IdentityProviderParams,
  ListIdentityProvidersQuery,
  TenantIdentityProvidersParams,
  UpdateIdentityProviderBody,
} from './identity-providers.schemas';
import type { IdentityProviderService } from './identity-providers.service';

const TAGS = ['identity providers'];

/** A tenant's upstream identity providers; writes need the admin role (routes/index.ts). */
export function identityProviderRoutes(providers: IdentityProviderService) {
  return {
    create: endpoint(
      {
        summary:
          'Configure an upstream identity provider (OpenID Connect, GitHub, Google, Microsoft, Apple)',
        description:
          'The secret (or Apple key) is stored encrypted and never returned. Register `callback_url` at the provider (docs/federation.md).',
        tags: TAGS,
        params: TenantIdentityProvidersParams,
        body: CreateIdentityProviderBody,
        response: IdentityProvider,
        status: 201,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'identity_provider_limit_reached',
        ],
      },
      async function createIdentityProvider({ params, body }, _req, res) {
        const provider = await providers.create(params.tenant, body);
        res.setHeader('Location', `/v1/tenants/${params.tenant}/identity-providers/${provider.id}`);
        return provider;
      },
    ),
    list: endpoint(
      {
        summary: "List a tenant's identity providers",
        tags: TAGS,
        params: TenantIdentityProvidersParams,
        query: ListIdentityProvidersQuery,
        response: IdentityProviderList,
        errors: ['tenant_not_found', 'invalid_cursor'],
      },
      async function listIdentityProviders({ params, query }) {
        return providers.list(params.tenant, query);
      },
    ),
    get: endpoint(
      {
        summary: 'Get an identity provider (never its secret)',
        tags: TAGS,
        params: IdentityProviderParams,
        response: IdentityProvider,
        errors: ['tenant_not_found', 'identity_provider_not_found'],
      },
      async function getIdentityProvider({ params }) {
        return providers.get(params.tenant, params.id);
      },
    ),
    update: endpoint(
      {
        summary: 'Change an identity provider (enable, disable, replace its secret, ...)',
        tags: TAGS,
        params: IdentityProviderParams,
        body: UpdateIdentityProviderBody,
        response: IdentityProvider,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'identity_provider_not_found',
        ],
      },
      async function updateIdentityProvider({ params, body }) {
        return providers.update(params.tenant, params.id, body);
      },
    ),
    remove: endpoint(
      {
        summary:
          'Delete an identity provider (its users keep their accounts; their links to it stop working)',
        tags: TAGS,
        params: IdentityProviderParams,
        status: 204,
        errors: ['tenant_not_found', 'tenant_not_ready', 'identity_provider_not_found'],
      },
      async function deleteIdentityProvider({ params }) {
        await providers.remove(params.tenant, params.id);
      },
    ),
  };
}
