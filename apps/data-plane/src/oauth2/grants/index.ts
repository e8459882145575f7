import type { GrantType } from '@hellojohn/contracts';
import type { z } from 'zod';
import { authorizationCode } from './authorization-code';
import { clientCredentials } from './client-credentials';
import type { Grant } from './grant';
import { refreshToken } from './refresh-token';

/**
 * Every grant the token endpoint serves. Adding one is a new file beside `client-credentials.ts`
 * and a line here: the token endpoint's schema, its OpenAPI document and discovery's
 * `grant_types_supported` follow from this list.
 */
export const GRANTS: readonly Grant[] = [authorizationCode, refreshToken, clientCredentials];

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

/**
 * Every grant's parameters, optional: the token endpoint's body schema is built from them. A
 * parameter several grants take (`scope`) is documented with each grant's meaning, by name.
 */
export const GRANT_PARAMETERS = (() => {
  const shape: Record<string, z.ZodType> = {};
  const meanings: Record<string, string[]> = {};
  for (const grant of GRANTS) {
    for (const [name, schema] of Object.entries(grant.parameters.partial().shape)) {
      const parameter = schema as z.ZodType;
      shape[name] ??= parameter;
      (meanings[name] ??= []).push(`\`${grant.grantType}\`: ${parameter.description ?? ''}`);
    }
  }
  for (const [name, described] of Object.entries(meanings)) {
    const parameter = shape[name];
    if (described.length > 1 && parameter) shape[name] = parameter.describe(described.join(' '));
  }
  return shape;
})();

export type { Grant } from './grant';
export { grantParameters } from './grant';
