import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { guard, OAuthError, type Guard } from '@hellojohn/http';
import { sha256Hex } from '@hellojohn/tokens';
import type { Request, Response } from 'express';
import { tenantOf } from '../tenancy/tenant-context';
import { parseBasicAuthorization } from './basic-credentials';
import type { ClientDirectory, OAuthClient } from './client-directory';

/** RFC 7591 §2 names of the ways a client authenticates at an endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The client a request authenticated as, and how. */
export interface AuthenticatedClient {
  client: OAuthClient;
  method: ClientAuthMethod;
}

/**
 * Who may call an endpoint: `confidential` clients only (they prove a secret), or `any` client,
 * where a public one names itself with `client_id` alone (`none`). A grant may still refuse a
 * public client: the token endpoint is `any`, its client_credentials grant is not.
 */
export type ClientPolicy = 'confidential' | 'any';

/** The methods a policy accepts, for discovery (RFC 8414 §2). */
export function authMethodsOf(policy: ClientPolicy): ClientAuthMethod[] {
  const secret: ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];
  return policy === 'any' ? [...secret, 'none'] : secret;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Compared against when there is no stored hash (unknown or public client), so a failure costs
// the same hashing and comparison whether or not the client exists.
const NO_MATCH = Buffer.from(sha256Hex(randomBytes(32).toString('hex')), 'hex');

// One answer for every failed authentication: unknown client, wrong secret, wrong method.
const failed = (): OAuthError => new OAuthError('invalid_client', 'Client authentication failed.');

function bodyField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The client `authenticateClient` let through. */
export function clientOf(res: Response): AuthenticatedClient {
  const client = res.locals.oauthClient as AuthenticatedClient | undefined;
  if (!client) throw new Error('authenticateClient did not run before this handler');
  return client;
}

/**
 * RFC 7591 §2 `token_endpoint_auth_method`: the token endpoint accepts a client only with the
 * method it registered, so a confidential client's secret is never taken from a place it did not
 * agree to send it (a `client_secret_basic` client posting its secret is refused, and the
 * reverse). The same `invalid_client` as any failed authentication.
 */
export function assertRegisteredMethod(authenticated: AuthenticatedClient): void {
  if (authenticated.method !== authenticated.client.token_endpoint_auth_method) throw failed();
}

/** The id of the authenticated client, if any ran: per-client rate limits count by it. */
export function authenticatedClientId(res: Response): string | undefined {
  return (res.locals.oauthClient as AuthenticatedClient | undefined)?.client.client_id;
}

interface Presented {
  method: ClientAuthMethod;
  clientId: string | undefined;
  secret: string | undefined;
}

/** What the request presents, or the RFC 6749 §2.3/§5.2 error for how it presents it. */
function presentedCredentials(req: Request): Presented {
  const header = parseBasicAuthorization(req.headers.authorization);
  const postedId = bodyField(req, 'client_id');
  const postedSecret = bodyField(req, 'client_secret');
  switch (header.kind) {
    case 'other-scheme':
      // RFC 6749 §5.2: "unsupported authentication method" is invalid_client.
      throw new OAuthError('invalid_client', 'Authenticate the client with HTTP Basic.');
    case 'malformed':
      throw new OAuthError('invalid_request', header.reason);
    case 'basic':
      // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method".
      if (postedSecret !== undefined) {
        throw new OAuthError('invalid_request', 'Use one client authentication method only.');
      }
      if (postedId !== undefined && postedId !== header.clientId) {
        throw new OAuthError('invalid_request', 'client_id differs from the Authorization header.');
      }
      return { method: 'client_secret_basic', clientId: header.clientId, secret: header.secret };
    case 'absent':
      return postedSecret === undefined
        ? { method: 'none', clientId: postedId, secret: undefined }
        : { method: 'client_secret_post', clientId: postedId, secret: postedSecret };
  }
}

/**
 * The stored SHA-256 of a confidential client's secret, as bytes; `undefined` for a public client
 * or a hash that is not one. Decoded once per cached client object (a re-read client is a new one).
 */
const storedHashes = new WeakMap<OAuthClient, Buffer | undefined>();
function storedHashOf(client: OAuthClient): Buffer | undefined {
  if (storedHashes.has(client)) return storedHashes.get(client);
  const stored =
    client.type === 'confidential' && client.secret_hash && SHA256_HEX.test(client.secret_hash)
      ? Buffer.from(client.secret_hash, 'hex')
      : undefined;
  storedHashes.set(client, stored);
  return stored;
}

/** Hashes and compares whether or not the client exists, so both failures cost the same. */
function secretMatches(secret: string, client: OAuthClient | undefined): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = client ? storedHashOf(client) : undefined;
  const equal = timingSafeEqual(presented, stored ?? NO_MATCH);
  return equal && stored !== undefined;
}

/**
 * Client authentication for the OAuth endpoints (RFC 6749 §2.3): `client_secret_basic` (the id
 * and secret form-urlencoded inside HTTP Basic), `client_secret_post` (`client_id` and
 * `client_secret` in the form body) or, under the `any` policy, `none` for a public client that
 * names itself with `client_id`. The secret is compared as SHA-256 in constant time. Every failure
 * is `401 invalid_client` with a `WWW-Authenticate: Basic` challenge, the same for an unknown
 * client and a wrong secret; two methods at once or a malformed header is `400 invalid_request`.
 * Place it after `resolveTenant`; `clientOf(res)` reads the result. Its OAuth errors are RFC 6749
 * codes, which the endpoints it guards document (`oauthErrors`); the guard itself declares the
 * 503 of a control plane that cannot be reached while the client is not cached.
 *
 * @example
 * api.post('/t/:tenant/oauth2/introspect', resolveTenant, authenticate('confidential'), introspect);
 */
export function createClientAuthentication(deps: {
  clients: ClientDirectory;
}): (policy: ClientPolicy) => Guard {
  return function authenticate(policy) {
    return guard(
      { errors: ['service_unavailable'] },
      async function authenticateClient(req, res, next) {
        const presented = presentedCredentials(req);
        // RFC 6749 §5.2: "no client authentication included" is invalid_client.
        if (presented.clientId === undefined) {
          throw new OAuthError('invalid_client', 'Client authentication is required.');
        }
        const client = await deps.clients.resolve(tenantOf(res).config.id, presented.clientId);
        if (presented.secret === undefined) {
          if (client?.type !== 'public' || policy !== 'any') throw failed();
        } else if (!secretMatches(presented.secret, client)) {
          throw failed();
        }
        if (!client) throw failed();
        const authenticated: AuthenticatedClient = { client, method: presented.method };
        res.locals.oauthClient = authenticated;
        next();
      },
    );
  };
}
