import { randomBytes, randomUUID } from 'node:crypto';
import { InternalClient, type InternalResource } from '@hellojohn/contracts';
import { createEvent, type EventBus } from '@hellojohn/events';
import { generateOpaqueSecret } from '@hellojohn/tokens';
import type { RequestHandler } from 'express';

export interface NewClient {
  type: InternalClient['type'];
  grant_types: InternalClient['grant_types'];
  scopes?: string[];
  redirect_uris?: string[];
  allowed_origins?: string[];
  /** The browser sign-in settings, when a test needs other than the contract's defaults. */
  settings?: Partial<
    Pick<
      InternalClient,
      | 'token_endpoint_auth_method'
      | 'id_token_signed_response_alg'
      | 'access_token_ttl'
      | 'refresh_token_ttl'
      | 'first_party'
      | 'post_logout_redirect_uris'
      | 'custom_claims'
    >
  >;
}

/** A browser client of the code flow: confidential, with refresh tokens, at `redirectUri`. */
export const codeFlowClient = (redirectUri: string, extra: Partial<NewClient> = {}): NewClient => ({
  type: 'confidential',
  grant_types: ['authorization_code', 'refresh_token'],
  redirect_uris: [redirectUri],
  ...extra,
});

/** The tenant's own web app in the hosted-login suites: confidential, first party (no consent). */
export const firstPartyWebApp = (
  redirectUri: string,
  settings: NewClient['settings'] = {},
): NewClient => ({
  type: 'confidential',
  grant_types: ['authorization_code'],
  redirect_uris: [redirectUri],
  settings: { first_party: true, ...settings },
});

export interface RegisteredClient {
  client_id: string;
  /** Confidential clients only. */
  client_secret?: string;
}

/**
 * The control plane's OAuth clients, as its internal API serves them to the data plane
 * (`GET /internal/v1/tenants/{tenant}/clients/{client_id}` and the paginated
 * `GET /internal/v1/tenants/{tenant}/clients`), with the `client.*` events its outbox would
 * publish on every change.
 */
export interface FakeClients {
  /** The internal API route; `tenantIdOf` maps the path's tenant (id or slug) to an id. */
  route(tenantIdOf: (ref: string) => string | undefined): RequestHandler;
  /**
   * The internal API's list route, in pages of at most `LIST_PAGE_SIZE` whatever `limit` asks
   * (so the data plane's paging is exercised); an unknown tenant is 404.
   */
  listRoute(tenantIdOf: (ref: string) => string | undefined): RequestHandler;
  register(tenantId: string, client: NewClient): Promise<RegisteredClient>;
  update(tenantId: string, clientId: string, patch: Partial<NewClient>): Promise<void>;
  remove(tenantId: string, clientId: string): Promise<void>;
  /** How many times the data plane read a client (to see its cache at work). */
  reads(): number;
  /** `GET /internal/v1/tenants/{tenant}/resources`: the tenant's API resources with grants. */
  resourcesRoute(tenantIdOf: (ref: string) => string | undefined): RequestHandler;
  /** Defines an API resource (publishing `resource.created`), as `POST .../resources` would. */
  defineResource(tenantId: string, resource: NewResource): Promise<InternalResource>;
  /** Sets a client's scopes on a resource (publishing `resource.updated`). */
  grantResource(
    tenantId: string,
    resourceId: string,
    clientId: string,
    scopes: string[],
  ): Promise<void>;
}

/** An API resource as a test defines it; what it leaves out takes the control plane's defaults. */
export interface NewResource {
  identifier: string;
  /** Names, or `{name, description}` for a scope the consent page describes. */
  scopes?: (string | { name: string; description: string })[];
  name?: string;
  access_token_alg?: InternalResource['access_token_alg'];
  access_token_ttl?: number | null;
  subjects?: InternalResource['subjects'];
}

/** The fake's largest page: small, so a few clients span several pages. */
const LIST_PAGE_SIZE = 2;

export function createFakeClients(bus: () => EventBus): FakeClients {
  const clients = new Map<string, InternalClient>();
  const resources = new Map<string, { tenantId: string; resource: InternalResource }>();
  const key = (tenantId: string, clientId: string): string => `${tenantId}/${clientId}`;
  let reads = 0;
  return {
    route(tenantIdOf) {
      return function getInternalClient(req, res) {
        reads++;
        const tenantId = tenantIdOf(String(req.params.tenant));
        const client =
          tenantId === undefined
            ? undefined
            : clients.get(key(tenantId, String(req.params.client_id)));
        if (client) res.json(client);
        else res.status(404).json({ code: 'client_not_found' });
      };
    },
    listRoute(tenantIdOf) {
      return function listInternalClients(req, res) {
        reads++;
        const tenantId = tenantIdOf(String(req.params.tenant));
        if (tenantId === undefined) {
          res.status(404).json({ code: 'tenant_not_found' });
          return;
        }
        const all = [...clients.values()].filter((client) => client.tenant_id === tenantId);
        const offset = Number(req.query.cursor ?? 0) || 0;
        const size = Math.min(Number(req.query.limit ?? 20) || 20, LIST_PAGE_SIZE);
        const next = offset + size < all.length ? String(offset + size) : null;
        res.json({ data: all.slice(offset, offset + size), next_cursor: next });
      };
    },
    async register(tenantId, input) {
      const clientId = `hjc_${randomBytes(16).toString('base64url')}`;
      const secret = input.type === 'confidential' ? generateOpaqueSecret('hjcs_', 32) : undefined;
      const now = new Date().toISOString();
      // The contract fills in the browser sign-in settings with their defaults.
      clients.set(
        key(tenantId, clientId),
        InternalClient.parse({
          client_id: clientId,
          tenant_id: tenantId,
          name: 'Test client',
          type: input.type,
          redirect_uris: input.redirect_uris ?? [],
          allowed_origins: input.allowed_origins ?? [],
          grant_types: input.grant_types,
          scopes: input.scopes ?? ['openid', 'profile', 'email'],
          secret_hash: secret?.hash ?? null,
          ...input.settings,
          created_at: now,
          updated_at: now,
        }),
      );
      await bus().publish(createEvent('client.created', tenantId, { client_id: clientId }));
      return secret
        ? { client_id: clientId, client_secret: secret.token }
        : { client_id: clientId };
    },
    async update(tenantId, clientId, patch) {
      const current = clients.get(key(tenantId, clientId));
      if (!current) throw new Error(`no client ${clientId}`);
      clients.set(key(tenantId, clientId), {
        ...current,
        ...patch,
        updated_at: new Date().toISOString(),
      });
      await bus().publish(createEvent('client.updated', tenantId, { client_id: clientId }));
    },
    async remove(tenantId, clientId) {
      clients.delete(key(tenantId, clientId));
      await bus().publish(createEvent('client.deleted', tenantId, { client_id: clientId }));
    },
    reads: () => reads,
    resourcesRoute(tenantIdOf) {
      return function listInternalResources(req, res) {
        const tenantId = tenantIdOf(String(req.params.tenant));
        if (tenantId === undefined) {
          res.status(404).json({ code: 'tenant_not_found' });
          return;
        }
        const data = [...resources.values()]
          .filter((entry) => entry.tenantId === tenantId)
          .map((entry) => entry.resource);
        res.json({ data });
      };
    },
    async defineResource(tenantId, input) {
      const resource: InternalResource = {
        id: randomUUID(),
        identifier: input.identifier,
        name: input.name ?? input.identifier,
        scopes: (input.scopes ?? []).map((scope) =>
          typeof scope === 'string' ? { name: scope, description: null } : scope,
        ),
        access_token_alg: input.access_token_alg ?? 'EdDSA',
        access_token_ttl: input.access_token_ttl ?? null,
        subjects: input.subjects ?? 'both',
        grants: [],
      };
      resources.set(resource.id, { tenantId, resource });
      await bus().publish(createEvent('resource.created', tenantId, { resource_id: resource.id }));
      return resource;
    },
    async grantResource(tenantId, resourceId, clientId, scopes) {
      const resource = resources.get(resourceId)?.resource;
      if (!resource) throw new Error(`no resource ${resourceId}`);
      resource.grants = [
        ...resource.grants.filter((grant) => grant.client_id !== clientId),
        { client_id: clientId, scopes },
      ];
      await bus().publish(createEvent('resource.updated', tenantId, { resource_id: resourceId }));
    },
  };
}
