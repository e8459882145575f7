import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbBool, dbDate, dbInt, dbJson, dbJsonStrings, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

/** Lists added after the table was created are nullable (see the migration); null reads as `[]`. */
const dbJsonStringsOrEmpty = z.union([z.null(), dbJsonStrings]).transform((list) => list ?? []);

const dbIntOrNull = z.union([z.null(), dbInt]);

const dbStringOrNull = z.string().nullable();

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
    allowed_origins: dbJsonStringsOrEmpty,
    post_logout_redirect_uris: dbJsonStringsOrEmpty,
    first_party: dbBool,
    access_token_ttl: dbIntOrNull,
    refresh_token_ttl: dbIntOrNull,
    id_token_signed_response_alg: z.enum(['RS256', 'EdDSA', 'ES256']),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
    logo_uri: dbStringOrNull,
    client_uri: dbStringOrNull,
    policy_uri: dbStringOrNull,
    tos_uri: dbStringOrNull,
    custom_claims: z
      .union([z.null(), dbJson.pipe(z.array(z.record(z.string(), z.unknown())))])
      .optional(),
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
    allowedOrigins: r.allowed_origins,
    postLogoutRedirectUris: r.post_logout_redirect_uris,
    firstParty: r.first_party,
    accessTokenTtl: r.access_token_ttl,
    refreshTokenTtl: r.refresh_token_ttl,
    idTokenSignedResponseAlg: r.id_token_signed_response_alg,
    tokenEndpointAuthMethod: r.token_endpoint_auth_method,
    logoUri: r.logo_uri,
    clientUri: r.client_uri,
    policyUri: r.policy_uri,
    tosUri: r.tos_uri,
    /** The client's own custom-claim rules (validated by the control plane); null: the tenant's. */
    customClaims: r.custom_claims ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** An OAuth client registered for one tenant. */
export type ClientRow = z.output<typeof clientSchema>;

/** The settings a client is registered with besides its name, type and secret. */
export interface ClientSettings {
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  /** CORS origins, normalised by the control plane (`https://app.example.com`). */
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
  /** First-party clients skip consent. */
  firstParty: boolean;
  /** Seconds; null: the tenant's setting. */
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  idTokenSignedResponseAlg: 'RS256' | 'EdDSA' | 'ES256';
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
  logoUri: string | null;
  clientUri: string | null;
  policyUri: string | null;
  tosUri: string | null;
  /** Custom-claim rules replacing the tenant's for this client's tokens; null: the tenant's. */
  customClaims?: Record<string, unknown>[] | null;
}

/** What {@link ClientRepository.create} needs. */
export interface NewClient extends ClientSettings {
  id: string;
  tenantId: string;
  clientId: string;
  name: string;
  type: 'public' | 'confidential';
  /** Hash of the secret (confidential clients); the secret itself is never stored. */
  secretHash: string | null;
}

/** Fields a PATCH may change; `secretHash` is set by secret rotation. */
export interface ClientPatch extends Partial<ClientSettings> {
  name?: string;
  secretHash?: string | null;
}

/** Settings to columns; JSON lists as text. Only the settings present are written. */
function settingsColumns(settings: Partial<ClientSettings>): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    redirect_uris: settings.redirectUris && toJson(settings.redirectUris),
    grant_types: settings.grantTypes && toJson(settings.grantTypes),
    scopes: settings.scopes && toJson(settings.scopes),
    allowed_origins: settings.allowedOrigins && toJson(settings.allowedOrigins),
    post_logout_redirect_uris:
      settings.postLogoutRedirectUris && toJson(settings.postLogoutRedirectUris),
    first_party: settings.firstParty,
    access_token_ttl: settings.accessTokenTtl,
    refresh_token_ttl: settings.refreshTokenTtl,
    id_token_signed_response_alg: settings.idTokenSignedResponseAlg,
    token_endpoint_auth_method: settings.tokenEndpointAuthMethod,
    logo_uri: settings.logoUri,
    client_uri: settings.clientUri,
    policy_uri: settings.policyUri,
    tos_uri: settings.tosUri,
    custom_claims:
      settings.customClaims === undefined
        ? undefined
        : settings.customClaims === null
          ? null
          : toJson(settings.customClaims),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
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
        ...settingsColumns(client),
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
      const changes: Record<string, unknown> = {
        ...settingsColumns(patch),
        updated_at: new Date(),
      };
      if (patch.name !== undefined) changes['name'] = patch.name;
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
