import { OAuthError } from '@hellojohn/http';
import { z } from 'zod';
import { permits } from '../authorization/permissions';
import type { TenantContext } from '../tenancy/tenant-context';
import type { ApiResource, ResourceCatalogue } from './resource-catalogue';
import { USER_SCOPES } from './scopes';

/** The longest identifier the control plane stores. */
const MAX_RESOURCE_LENGTH = 500;

/**
 * RFC 8707 `resource` and its alias `audience` (sent by clients written for Auth0), as the token
 * endpoint's grants take them. Repeated `resource` parameters arrive as an array: HelloJohn
 * issues one audience per access token, so more than one is `invalid_target`.
 */
export const resourceParameters = {
  resource: z
    .union([z.string().max(MAX_RESOURCE_LENGTH), z.array(z.string().max(MAX_RESOURCE_LENGTH))])
    .optional()
    .describe(
      "RFC 8707: the identifier of one of the tenant's API resources, the `aud` of the access token (one per request); unknown -> `invalid_target`.",
    ),
  audience: z
    .string()
    .max(MAX_RESOURCE_LENGTH)
    .optional()
    .describe('Alias of `resource`, for clients that send it.'),
};

/**
 * The one resource a request names through `resource` or `audience`, or undefined. Two
 * different values, several `resource`s, or one that is not an absolute URI without a fragment
 * (RFC 8707 §2) -> `invalid_target`.
 */
export function requestedResource(parameters: {
  resource?: string | string[] | undefined;
  audience?: string | undefined;
}): string | undefined {
  const named = [
    ...(parameters.resource === undefined ? [] : [parameters.resource].flat()),
    ...(parameters.audience === undefined ? [] : [parameters.audience]),
  ].filter((value) => value !== '');
  const distinct = [...new Set(named)];
  if (distinct.length === 0) return undefined;
  if (distinct.length > 1) {
    throw new OAuthError(
      'invalid_target',
      'One resource per request: an access token has one audience.',
    );
  }
  const [identifier] = distinct as [string];
  if (!URL.canParse(identifier) || identifier.includes('#')) {
    throw new OAuthError(
      'invalid_target',
      'The resource must be an absolute URI without a fragment.',
    );
  }
  return identifier;
}

/**
 * The tenant's API resource named `identifier`, which must accept tokens for `subject`; else
 * `invalid_target` (one message for unknown and refused, so a client learns nothing of
 * resources it may not use).
 */
export async function resourceFor(
  catalogue: ResourceCatalogue,
  tenant: TenantContext,
  identifier: string,
  subject: 'users' | 'machines',
): Promise<ApiResource> {
  const resource = await catalogue.resolve(tenant.config.id, identifier);
  if (!resource || (resource.subjects !== 'both' && resource.subjects !== subject)) {
    throw new OAuthError(
      'invalid_target',
      `The resource is not an API of this tenant that accepts tokens for ${subject}.`,
    );
  }
  return resource;
}

/** The names of the scopes `resource` defines. */
export function scopeNamesOf(resource: ApiResource): string[] {
  return resource.scopes.map((scope) => scope.name);
}

/**
 * What a user's access token for `resource` carries: the OpenID Connect scopes of the grant,
 * plus the resource's scopes that were requested (and consented to) AND that the user's roles
 * permit; those are also its `permissions`. A requested scope the user lacks is left out, not
 * refused (the token says what it may do; the API decides).
 */
export function userScopesFor(
  resource: ApiResource,
  granted: readonly string[],
  userPermissions: readonly string[],
): { scope: string[]; permissions: string[] } {
  const defined = new Set(scopeNamesOf(resource));
  const permissions = granted.filter(
    (scope) => defined.has(scope) && permits(userPermissions, scope),
  );
  const oidc = granted.filter((scope) => USER_SCOPES.has(scope));
  return { scope: [...oidc, ...permissions], permissions };
}

/**
 * What a machine's access token for `resource` carries: the requested scopes, each granted to
 * the client on that resource (else `invalid_scope`), by default all of its grant. No grant at
 * all -> `invalid_target`.
 */
export function machineScopesFor(
  resource: ApiResource,
  clientId: string,
  requested: readonly string[],
): string[] {
  const grant = resource.grants.find((candidate) => candidate.client_id === clientId);
  if (!grant) {
    throw new OAuthError('invalid_target', 'The client has no grant on this resource.');
  }
  if (requested.length === 0) return [...grant.scopes];
  for (const scope of requested) {
    if (!grant.scopes.includes(scope)) {
      throw new OAuthError(
        'invalid_scope',
        `The scope ${scope} is not granted to this client on this resource.`,
      );
    }
  }
  return [...requested];
}
