import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  type ApiResourceRow,
  type ClientResourceGrantRow,
  type GlobalDb,
  type TenantRow,
} from '@hellojohn/dal';
import { MAX_RESOURCES_PER_TENANT, type InternalResource } from '@hellojohn/contracts';
import { AppError } from '@hellojohn/http';
import { fetchPage } from '../../shared/fetch-page';
import { addToOutbox, outboxWriter } from '../../shared/outbox-writes';
import { findClient, findTenant, writableTenant } from '../../shared/tenant-refs';
import type {
  ClientGrantView,
  CreateResourceInput,
  ListResourcesInput,
  ResourceView,
  UpdateResourceInput,
} from './resources.schemas';

export interface ResourceService {
  create(tenant: string, input: CreateResourceInput): Promise<ResourceView>;
  list(
    tenant: string,
    query: ListResourcesInput,
  ): Promise<{ data: ResourceView[]; next_cursor: string | null }>;
  get(tenant: string, id: string): Promise<ResourceView>;
  update(tenant: string, id: string, patch: UpdateResourceInput): Promise<ResourceView>;
  /** Deletes the resource and every client grant on it. */
  remove(tenant: string, id: string): Promise<void>;
  /** Sets the scopes a confidential client may obtain for the resource with client credentials. */
  putGrant(
    tenant: string,
    clientId: string,
    id: string,
    scopes: string[],
  ): Promise<ClientGrantView>;
  removeGrant(tenant: string, clientId: string, id: string): Promise<void>;
  listGrants(tenant: string, clientId: string): Promise<{ data: ClientGrantView[] }>;
  /** For the internal API: every resource of the tenant with the grants on it. */
  catalogue(tenant: string): Promise<InternalResource[]>;
}

function toResourceView(row: ApiResourceRow): ResourceView {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    scopes: row.scopes,
    access_token_alg: row.accessTokenAlg,
    access_token_ttl: row.accessTokenTtl,
    subjects: row.subjects,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function toGrantView(grant: ClientResourceGrantRow, resource: ApiResourceRow): ClientGrantView {
  return {
    resource_id: resource.id,
    identifier: resource.identifier,
    client_id: grant.clientId,
    scopes: grant.scopes,
    created_at: grant.createdAt.toISOString(),
    updated_at: grant.updatedAt.toISOString(),
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', 'The request is not valid.', {
    errors: [{ path, message }],
  });
}

/**
 * A tenant's API resources (the protected APIs its tokens may be meant for) and the grants of
 * machine clients on them. Every change commits with a `resource.*` event, on which the data
 * plane drops its cached catalogue of the tenant.
 *
 * @example
 * const resources = createResourceService({ db, onOutboxWrite: () => relay.kick() });
 * const api = await resources.create('acme', { identifier: 'https://api.acme.test', ... });
 */
export function createResourceService(deps: {
  db: GlobalDb;
  onOutboxWrite: () => void;
}): ResourceService {
  const { db } = deps;
  const write = outboxWriter(db, deps.onOutboxWrite);

  async function findResource(handle: GlobalDb, tenant: TenantRow, id: string) {
    const row = await handle.apiResources.find(tenant.id, id);
    if (!row) throw new AppError('resource_not_found', `No API resource "${id}".`);
    return row;
  }

  const publish = (
    tx: GlobalDb,
    type: 'resource.created' | 'resource.updated' | 'resource.deleted',
    tenantId: string,
    resourceId: string,
  ): Promise<void> => addToOutbox(tx, type, tenantId, { resource_id: resourceId });

  /** A unique violation on the identifier is the caller's to fix, not a fault. */
  async function unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new AppError(
          'resource_identifier_taken',
          'Another API resource has this identifier.',
        );
      }
      throw error;
    }
  }

  return {
    async create(ref, input) {
      const row = await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        if ((await tx.apiResources.countByTenant(tenant.id)) >= MAX_RESOURCES_PER_TENANT) {
          throw new AppError(
            'resource_limit_reached',
            `A tenant may define at most ${MAX_RESOURCES_PER_TENANT} API resources.`,
          );
        }
        const created = await unique(() =>
          tx.apiResources.create({
            id: randomUUID(),
            tenantId: tenant.id,
            identifier: input.identifier,
            name: input.name,
            scopes: input.scopes,
            accessTokenAlg: input.access_token_alg,
            accessTokenTtl: input.access_token_ttl,
            subjects: input.subjects,
          }),
        );
        await publish(tx, 'resource.created', tenant.id, created.id);
        return created;
      });
      return toResourceView(row);
    },

    async list(ref, query) {
      const tenant = await findTenant(db, ref);
      const page = await fetchPage(() => db.apiResources.listByTenant(tenant.id, query));
      return { data: page.rows.map(toResourceView), next_cursor: page.nextCursor };
    },

    async get(ref, id) {
      return toResourceView(await findResource(db, await findTenant(db, ref), id));
    },

    async update(ref, id, patch) {
      const row = await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        await findResource(tx, tenant, id);
        const updated = await unique(() =>
          tx.apiResources.update(tenant.id, id, {
            identifier: patch.identifier,
            name: patch.name,
            scopes: patch.scopes,
            accessTokenAlg: patch.access_token_alg,
            accessTokenTtl: patch.access_token_ttl,
            subjects: patch.subjects,
          }),
        );
        if (!updated) throw new AppError('resource_not_found', `No API resource "${id}".`);
        // A scope the API no longer defines cannot stay granted to a client.
        if (patch.scopes !== undefined) {
          await tx.apiResources.pruneGrantScopes(
            id,
            patch.scopes.map((scope) => scope.name),
          );
        }
        await publish(tx, 'resource.updated', tenant.id, id);
        return updated;
      });
      return toResourceView(row);
    },

    async remove(ref, id) {
      await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        if (!(await tx.apiResources.delete(tenant.id, id))) {
          throw new AppError('resource_not_found', `No API resource "${id}".`);
        }
        await publish(tx, 'resource.deleted', tenant.id, id);
      });
    },

    async putGrant(ref, clientId, id, scopes) {
      return write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const client = await findClient(tx, tenant, clientId);
        const resource = await findResource(tx, tenant, id);
        // Client credentials authenticate the client with its secret: public clients have none.
        if (client.type !== 'confidential') {
          throw invalid(
            'params.client_id',
            'only confidential clients get grants on API resources',
          );
        }
        if (resource.subjects === 'users') {
          throw invalid('params.id', 'this API resource accepts tokens for users only');
        }
        const defined = new Set(resource.scopes.map((scope) => scope.name));
        const errors = scopes.flatMap((scope, index) =>
          defined.has(scope)
            ? []
            : [{ path: `body.scopes.${index}`, message: 'is not a scope of this API resource' }],
        );
        if (errors.length > 0) {
          throw new AppError('validation_failed', 'The request body is not valid.', { errors });
        }
        const grant = await tx.apiResources.putGrant(resource.id, client.clientId, scopes);
        await publish(tx, 'resource.updated', tenant.id, resource.id);
        return toGrantView(grant, resource);
      });
    },

    async removeGrant(ref, clientId, id) {
      await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        await findClient(tx, tenant, clientId);
        const resource = await findResource(tx, tenant, id);
        if (!(await tx.apiResources.deleteGrant(resource.id, clientId))) {
          throw new AppError('resource_not_found', 'The client has no grant on this API resource.');
        }
        await publish(tx, 'resource.updated', tenant.id, resource.id);
      });
    },

    async listGrants(ref, clientId) {
      const tenant = await findTenant(db, ref);
      await findClient(db, tenant, clientId);
      const resources = new Map(
        (await db.apiResources.listAll(tenant.id)).map((row) => [row.id, row]),
      );
      const grants = await db.apiResources.listGrantsOfClient(clientId);
      return {
        data: grants.flatMap((grant) => {
          const resource = resources.get(grant.resourceId);
          return resource ? [toGrantView(grant, resource)] : [];
        }),
      };
    },

    async catalogue(ref) {
      const tenant = await findTenant(db, ref);
      const [resources, grants] = await Promise.all([
        db.apiResources.listAll(tenant.id),
        db.apiResources.listGrantsOfTenant(tenant.id),
      ]);
      return resources.map((row) => {
        const view = toResourceView(row);
        return {
          id: view.id,
          identifier: view.identifier,
          name: view.name,
          scopes: view.scopes,
          access_token_alg: view.access_token_alg,
          access_token_ttl: view.access_token_ttl,
          subjects: view.subjects,
          grants: grants
            .filter((grant) => grant.resourceId === row.id)
            .map((grant) => ({ client_id: grant.clientId, scopes: grant.scopes })),
        };
      });
    },
  };
}
