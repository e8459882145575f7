import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbJsonStrings, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const clientSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    client_id: z.string(),
    name: z.string(),
    type: z.enum(['public', 'confidential']),
    secret_hash: z.string().nullable(),
    redirect_uris: dbJsonStrings,
    grant_types: dbJsonStrings,
    scopes: dbJsonStrings,
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    clientId: r.client_id,
    name: r.name,
    type: r.type,
    secretHash: r.secret_hash,
    redirectUris: r.redirect_uris,
    grantTypes: r.grant_types,
    scopes: r.scopes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** An OAuth client registered for one tenant. */
export type ClientRow = z.output<typeof clientSchema>;

/** What {@link ClientRepository.create} needs. */
export interface NewClient {
  id: string;
  tenantId: string;
  clientId: string;
  name: string;
  type: 'public' | 'confidential';
  /** Hash of the secret (confidential clients); the secret itself is never stored. */
  secretHash: string | null;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
}

/** Fields a PATCH may change; `secretHash` is set by secret rotation. */
export interface ClientPatch {
  name?: string;
  redirectUris?: string[];
  grantTypes?: string[];
  scopes?: string[];
  secretHash?: string | null;
}

/** OAuth clients, always addressed within their tenant. */
export interface ClientRepository {
  create(client: NewClient): Promise<ClientRow>;
  findByClientId(tenantId: string, clientId: string): Promise<ClientRow | undefined>;
  listByTenant(tenantId: string, request: PageRequest): Promise<Page<ClientRow>>;
  update(tenantId: string, clientId: string, patch: ClientPatch): Promise<ClientRow | undefined>;
  delete(tenantId: string, clientId: string): Promise<boolean>;
}

/** Builds the client repository over a knex handle or transaction. */
export function createClientRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): ClientRepository {
  const parse = (row: unknown): ClientRow => clientSchema.parse(row);
  const find = async (tenantId: string, clientId: string): Promise<ClientRow | undefined> => {
    const row: unknown = await db('clients')
      .where({ tenant_id: tenantId, client_id: clientId })
      .first();
    return row === undefined ? undefined : parse(row);
  };

  return {
    async create(client) {
      const now = new Date();
      const raw = {
        id: client.id,
        tenant_id: client.tenantId,
        client_id: client.clientId,
        name: client.name,
        type: client.type,
        secret_hash: client.secretHash,
        redirect_uris: toJson(client.redirectUris),
        grant_types: toJson(client.grantTypes),
        scopes: toJson(client.scopes),
        created_at: now,
        updated_at: now,
      };
      try {
        await db('clients').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findByClientId: find,
    listByTenant(tenantId, request) {
      return keysetPage(db('clients').select('*').where({ tenant_id: tenantId }), request, parse, {
        cursors,
      });
    },
    async update(tenantId, clientId, patch) {
      const changes: Record<string, unknown> = { updated_at: new Date() };
      if (patch.name !== undefined) changes['name'] = patch.name;
      if (patch.redirectUris !== undefined) changes['redirect_uris'] = toJson(patch.redirectUris);
      if (patch.grantTypes !== undefined) changes['grant_types'] = toJson(patch.grantTypes);
      if (patch.scopes !== undefined) changes['scopes'] = toJson(patch.scopes);
      if (patch.secretHash !== undefined) changes['secret_hash'] = patch.secretHash;
      const count = await db('clients')
        .where({ tenant_id: tenantId, client_id: clientId })
        .update(changes);
      return count === 0 ? undefined : find(tenantId, clientId);
    },
    async delete(tenantId, clientId) {
      const count = await db('clients')
        .where({ tenant_id: tenantId, client_id: clientId })
        .delete();
      return count > 0;
    },
  };
}
