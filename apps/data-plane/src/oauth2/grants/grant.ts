import type { ClientType, GrantType } from '@hellojohn/contracts';
import { OAuthError } from '@hellojohn/http';
import type { z } from 'zod';
import type { RequestMeta } from '../../audit/request-meta';
import type { Keyring } from '../../keys/keyring';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { RefreshRotation } from '../../tokens/rotate-refresh-token';
import type { SessionTokens } from '../../tokens/session-tokens';
import type { OAuthClient } from '../client-directory';
import type { ResourceCatalogue } from '../resource-catalogue';
import type { TokenResponse } from '../oauth2.schemas';

/** The token services grants share with the first-party sign-in (one storage, one rotation). */
export interface GrantServices {
  keyring: Keyring;
  sessionTokens: SessionTokens;
  rotation: RefreshRotation;
  /** The tenant's API resources (RFC 8707 `resource`), read from the control plane. */
  resources: ResourceCatalogue;
}

/** What a grant works with: the tenant, the authenticated client and the services it may use. */
export interface GrantContext extends GrantServices {
  tenant: TenantContext;
  client: OAuthClient;
  /** The caller's address and user agent, for the sessions and the audit log. */
  meta: RequestMeta;
}

/**
 * One grant type of the token endpoint (RFC 6749 §4), one file each under `grants/`. The token
 * endpoint authenticates the client, checks that the client registered `grantType` and is of a
 * type in `clientTypes`, parses `parameters` from the form body, and calls `handle`.
 */
export interface Grant<P extends z.ZodObject = z.ZodObject> {
  readonly grantType: GrantType;
  /** Who may use it: the token endpoint accepts `none` only when some grant allows `public`. */
  readonly clientTypes: readonly ClientType[];
  /**
   * The grant's own parameters (besides `grant_type` and client authentication). Loose, as every
   * OAuth body: unknown parameters are ignored (RFC 6749 §3.1).
   */
  readonly parameters: P;
  handle(context: GrantContext, parameters: z.output<P>): Promise<TokenResponse>;
}

/**
 * Declares a grant with its parameters' types inferred.
 *
 * @example
 * export const clientCredentials = defineGrant({
 *   grantType: 'client_credentials', clientTypes: ['confidential'],
 *   parameters: z.object({ scope: z.string().optional() }),
 *   async handle(context, { scope }) { ... },
 * });
 */
export function defineGrant<P extends z.ZodObject>(grant: Grant<P>): Grant<P> {
  return grant;
}

/**
 * The grant's parameters from the (already validated) form body. The token endpoint's schema has
 * every grant's parameters as optional, so what is left to fail here is a parameter this grant
 * requires: `invalid_request` naming it (RFC 6749 §5.2).
 */
export function grantParameters<P extends z.ZodObject>(
  grant: Grant<P>,
  body: Record<string, unknown>,
): z.output<P> {
  const result = grant.parameters.safeParse(body);
  if (result.success) return result.data;
  const name = result.error.issues[0]?.path[0];
  throw new OAuthError(
    'invalid_request',
    name === undefined
      ? 'The request parameters are not valid.'
      : `Missing parameter: ${String(name)}`,
  );
}
