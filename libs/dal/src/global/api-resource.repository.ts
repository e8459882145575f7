import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbInt, dbJson, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const scopeList = dbJson.pipe(
  z.array(z.object({ name: z.string(), description: z.string().nullable() })),
);

const apiResourceSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    identifier: z.string(),
    name: z.string(),
    scopes: scopeList,
    access_token_alg: z.enum(['EdDSA', 'RS256', 'ES256']),
    access_token_ttl: z.union([z.null(), dbInt]),
    subjects: z.enum(['users', 'machines', 'both']),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    identifier: r.identifier,
    name: r.name,
    scopes: r.scopes,
    accessTokenAlg: r.access_token_alg,
    accessTokenTtl: r.access_token_ttl,
    subjects: r.subjects,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A protected API of one tenant: the audience, permissions and signing algorithm of its tokens. */
export type ApiResourceRow = z.output<typeof apiResourceSchema>;

/** What an API resource is defined with besides its id and tenant. */
export type ApiResourceSettings = Omit<
  ApiResourceRow,
  'id' | 'tenantId' | 'createdAt' | 'updatedAt'
>;

/** What {@link ApiResourceRepository.create} needs. */
export interface NewApiResource extends ApiResourceSettings {
  id: string;
  tenantId: string;
}

const grantSchema = z
  .object({
    resource_id: z.string(),
    client_id: z.string(),
    scopes: dbJson.pipe(z.array(z.string())),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    resourceId: r.resource_id,
    clientId: r.client_id,
    scopes: r.scopes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** The scopes a confidential client may obtain for an API resource with client credentials. */
export type ClientResourceGrantRow = z.output<typeof grantSchema>;

function settingsColumns(settings: Partial<ApiResourceSettings>): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    identifier: settings.identifier,
    name: settings.name,
    scopes: settings.scopes && toJson(settings.scopes),
    access_token_alg: settings.accessTokenAlg,
    access_token_ttl: settings.accessTokenTtl,
    subjects: settings.subjects,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** API resources and the client grants on them, always addressed within their tenant. */
export interface ApiResourceRepository {
  /** Throws `ConflictError` when the tenant already has a resource with this identifier. */
  create(resource: NewApiResource): Promise<ApiResourceRow>;
  find(tenantId: string, id: string): Promise<ApiResourceRow | undefined>;
  listByTenant(tenantId: string, request: PageRequest): Promise<Page<ApiResourceRow>>;
  /** Every resource of the tenant, oldest first (bounded by the per-tenant limit). */
  listAll(tenantId: string): Promise<ApiResourceRow[]>;
  countByTenant(tenantId: string): Promise<number>;
  /** Throws `ConflictError` for an identifier another resource of the tenant has. */
  update(
    tenantId: string,
    id: string,
    patch: Partial<ApiResourceSettings>,
  ): Promise<ApiResourceRow | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Creates or replaces a client's grant on a resource. */
  putGrant(resourceId: string, clientId: string, scopes: string[]): Promise<ClientResourceGrantRow>;
  deleteGrant(resourceId: string, clientId: string): Promise<boolean>;
  listGrantsOfClient(clientId: string): Promise<ClientResourceGrantRow[]>;
  /** The grants on the tenant's resources, for the data plane's catalogue. */
  listGrantsOfTenant(tenantId: string): Promise<ClientResourceGrantRow[]>;
  /** Removes `scopes` no longer defined by a resource from every grant on it. */
  pruneGrantScopes(resourceId: string, defined: readonly string[]): Promise<void>;
}

/** Builds the API resource repository over a knex handle or transaction. */
export function createApiResourceRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): ApiResourceRepository {
  const parse = (row: unknown): ApiResourceRow => apiResourceSchema.parse(row);
  const parseGrant = (row: unknown): ClientResourceGrantRow => grantSchema.parse(row);
  const find = async (tenantId: string, id: string): Promise<ApiResourceRow | undefined> => {
    const row: unknown = await db('api_resources').where({ tenant_id: tenantId, id }).first();
    return row === undefined ? undefined : parse(row);
  };
  const grantsOf = (resourceId: string) =>
    db('client_resource_grants').where({ resource_id: resourceId });

  return {
    async create(resource) {
      const now = new Date();
      const raw = {
        id: resource.id,
        tenant_id: resource.tenantId,
        ...settingsColumns(resource),
        access_token_ttl: resource.accessTokenTtl,
        created_at: now,
        updated_at: now,
      };
      try {
        await db('api_resources').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    find,
    listByTenant(tenantId, request) {
      return keysetPage(
        db('api_resources').select('*').where({ tenant_id: tenantId }),
        request,
        parse,
        { cursors },
      );
    },
    async listAll(tenantId) {
      const rows = (await db('api_resources')
        .where({ tenant_id: tenantId })
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])) as unknown[];
      return rows.map(parse);
    },
    async countByTenant(tenantId) {
      const row: unknown = await db('api_resources')
        .where({ tenant_id: tenantId })
        .count({ n: '*' })
        .first();
      return countRow.parse(row).n;
    },
    async update(tenantId, id, patch) {
      const changes = { ...settingsColumns(patch), updated_at: new Date() };
      if (patch.accessTokenTtl === null) Object.assign(changes, { access_token_ttl: null });
      let count: number;
      try {
        count = await db('api_resources').where({ tenant_id: tenantId, id }).update(changes);
      } catch (err) {
        throw mapDbError(err);
      }
      return count === 0 ? undefined : find(tenantId, id);
    },
    async delete(tenantId, id) {
      // The grants go first: foreign keys cascade, but not on every driver configuration.
      await grantsOf(id).delete();
      return (await db('api_resources').where({ tenant_id: tenantId, id }).delete()) > 0;
    },
    async putGrant(resourceId, clientId, scopes) {
      const now = new Date();
      const existing: unknown = await grantsOf(resourceId).where({ client_id: clientId }).first();
      if (existing === undefined) {
        const raw = {
          resource_id: resourceId,
          client_id: clientId,
          scopes: toJson(scopes),
          created_at: now,
          updated_at: now,
        };
        try {
          await db('client_resource_grants').insert(raw);
        } catch (err) {
          throw mapDbError(err);
        }
        return parseGrant(raw);
      }
      await grantsOf(resourceId)
        .where({ client_id: clientId })
        .update({ scopes: toJson(scopes), updated_at: now });
      return { ...parseGrant(existing), scopes, updatedAt: now };
    },
    async deleteGrant(resourceId, clientId) {
      return (await grantsOf(resourceId).where({ client_id: clientId }).delete()) > 0;
    },
    async listGrantsOfClient(clientId) {
      const rows = (await db('client_resource_grants')
        .where({ client_id: clientId })
        .orderBy('created_at', 'asc')) as unknown[];
      return rows.map(parseGrant);
    },
    async listGrantsOfTenant(tenantId) {
      const rows = (await db('client_resource_grants as g')
        .join('api_resources as r', 'r.id', 'g.resource_id')
        .where('r.tenant_id', tenantId)
        .select('g.*')
        .orderBy('g.created_at', 'asc')) as unknown[];
      return rows.map(parseGrant);
    },
    async pruneGrantScopes(resourceId, defined) {
      const keep = new Set(defined);
      const rows = ((await grantsOf(resourceId)) as unknown[]).map(parseGrant);
      for (const grant of rows) {
        const scopes = grant.scopes.filter((scope) => keep.has(scope));
        if (scopes.length === grant.scopes.length) continue;
        await grantsOf(resourceId)
          .where({ client_id: grant.clientId })
          .update({ scopes: toJson(scopes), updated_at: new Date() });
      }
    },
  };
}
