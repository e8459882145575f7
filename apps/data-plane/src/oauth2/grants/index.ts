import type { GrantType } from '@hellojohn/contracts';
import type { z } from 'zod';
import { clientCredentials } from './client-credentials';
import type { Grant } from './grant';

/**
 * Every grant the token endpoint serves. Adding one (authorization_code, refresh_token) is a new
 * file beside `client-credentials.ts` and a line here: the token endpoint's schema, its OpenAPI
 * document and discovery's `grant_types_supported` follow from this list.
 */
export const GRANTS: readonly Grant[] = [clientCredentials];

/** RFC 8414 §2 `grant_types_supported`, and the values `grant_type` accepts. */
export const GRANT_TYPES_SUPPORTED = GRANTS.map((grant) => grant.grantType) as [
  GrantType,
  ...GrantType[],
];

/** The grant of a `grant_type` the token endpoint's schema accepted. */
export function grantOf(grantType: GrantType): Grant {
  const grant = GRANTS.find((candidate) => candidate.grantType === grantType);
  if (!grant) throw new Error(`no grant registered for ${grantType}`);
  return grant;
}

/** Every grant's parameters, optional: the token endpoint's body schema is built from them. */
export const GRANT_PARAMETERS = Object.assign(
  {},
  ...GRANTS.map((grant) => grant.parameters.partial().shape),
) as Record<string, z.ZodType>;

export type { Grant } from './grant';
export { grantParameters } from './grant';
