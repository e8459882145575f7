import { randomBytes, randomUUID } from 'node:crypto';
import type { ClientRow, GlobalDb, Page } from '@hellojohn/dal';
import { defaultTokenEndpointAuthMethod, isGrantType } from '@hellojohn/contracts';
import { AppError, type FieldError } from '@hellojohn/http';
import { generateOpaqueSecret } from '@hellojohn/tokens';
import { fetchPage } from '../../shared/fetch-page';
import { addToOutbox, outboxWriter } from '../../shared/outbox-writes';
import { findClient, findTenant, writableTenant } from '../../shared/tenant-refs';
import {
  type ClientSecretView,
  type ClientView,
  type CreateClientInput,
  type CreatedClientView,
  type ListClientsInput,
  type UpdateClientInput,
} from './clients.schemas';
import { redirectUriProblem } from './check-redirect-uri';

type ClientPage<T> = { data: T[]; next_cursor: string | null };

export interface ClientService {
  /** Registers a client; a confidential one gets its secret here, and only here or on rotation. */
  create(tenant: string, input: CreateClientInput): Promise<CreatedClientView>;
  list(tenant: string, query: ListClientsInput): Promise<ClientPage<ClientView>>;
  get(tenant: string, clientId: string): Promise<ClientView>;
  update(tenant: string, clientId: string, patch: UpdateClientInput): Promise<ClientView>;
  remove(tenant: string, clientId: string): Promise<void>;
  /** Replaces the secret of a confidential client; the old one stops matching at once. */
  rotateSecret(tenant: string, clientId: string): Promise<ClientSecretView>;
  /** For the internal API only: the client as stored, with the hash secrets are checked against. */
  getStored(tenant: string, clientId: string): Promise<ClientRow>;
  listStored(tenant: string, query: ListClientsInput): Promise<Page<ClientRow>>;
}

// 128 random bits: client ids are public, but unguessable ids keep tenants from enumerating
// each other's clients.
const newClientId = (): string => `hjc_${randomBytes(16).toString('base64url')}`;
// 256 random bits; SHA-256 storage is enough for a secret with that much entropy.
const newClientSecret = () => generateOpaqueSecret('hjcs_', 32);

/** A stored client as the API shows it; the internal API adds the tenant and secret hash. */
export function toClientView(row: ClientRow): ClientView {
  return {
    client_id: row.clientId,
    name: row.name,
    type: row.type,
    redirect_uris: row.redirectUris,
    grant_types: row.grantTypes.filter(isGrantType),
    scopes: row.scopes,
    allowed_origins: row.allowedOrigins,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    first_party: row.firstParty,
    access_token_ttl: row.accessTokenTtl,
    refresh_token_ttl: row.refreshTokenTtl,
    id_token_signed_response_alg: row.idTokenSignedResponseAlg,
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    logo_uri: row.logoUri,
    client_uri: row.clientUri,
    policy_uri: row.policyUri,
    tos_uri: row.tosUri,
    custom_claims: row.customClaims,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

interface ClientConfig {
  type: ClientRow['type'];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: ClientRow['tokenEndpointAuthMethod'];
}

/** Which fields the request named, so a cross-field error points at the one that was sent. */
interface Sent {
  redirectUris: boolean;
}

/**
 * Rules that span fields, checked on the configuration a client would end up with (so a PATCH
 * of one field is checked against the others as stored). Paths name the body field to fix.
 */
function configErrors(config: ClientConfig, sent: Sent): FieldError[] {
  const errors: FieldError[] = [];
  config.redirectUris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri, config.type);
    if (problem) errors.push({ path: `body.redirect_uris.${index}`, message: problem });
  });
  config.postLogoutRedirectUris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri, config.type);
    if (problem) errors.push({ path: `body.post_logout_redirect_uris.${index}`, message: problem });
  });
  // A public client has no secret to present; a confidential one must present the one it has.
  if (config.type === 'public' && config.tokenEndpointAuthMethod !== 'none') {
    errors.push({
      path: 'body.token_endpoint_auth_method',
      message: 'public clients have no secret: the method must be none',
    });
  }
  if (config.type === 'confidential' && config.tokenEndpointAuthMethod === 'none') {
    errors.push({
      path: 'body.token_endpoint_auth_method',
      message: 'confidential clients authenticate with client_secret_basic or client_secret_post',
    });
  }
  config.grantTypes.forEach((grant, index) => {
    // RFC 6749 §4.4: the client_credentials grant authenticates the client, so it needs a secret.
    if (grant === 'client_credentials' && config.type !== 'confidential') {
      errors.push({
        path: `body.grant_types.${index}`,
        message: 'client_credentials is for confidential clients only',
      });
    }
  });
  // RFC 6749 §3.1.2.2 as tightened by OAuth 2.1: every authorization_code client registers
  // its redirect URIs, so the authorization endpoint never redirects to an unregistered one.
  if (config.grantTypes.includes('authorization_code') && config.redirectUris.length === 0) {
    errors.push({
      path: sent.redirectUris ? 'body.redirect_uris' : 'body.grant_types',
      message: 'authorization_code needs at least one redirect URI',
    });
  }
  return errors;
}

function assertValid(config: ClientConfig, sent: Sent): void {
  const errors = configErrors(config, sent);
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The request body is not valid.', { errors });
  }
}

/**
 * OAuth clients of a tenant. Every change commits together with its `client.*` event in the
 * outbox, so the data plane hears about exactly the changes that happened.
 *
 * @example
 * const clients = createClientService({ db, onOutboxWrite: () => relay.kick() });
 * const { client_id, client_secret } = await clients.create('acme', input);
 */
export function createClientService(deps: {
  db: GlobalDb;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): ClientService {
  const { db } = deps;

  const publish = (
    tx: GlobalDb,
    type: 'client.created' | 'client.updated' | 'client.deleted',
    tenantId: string,
    clientId: string,
  ): Promise<void> => addToOutbox(tx, type, tenantId, { client_id: clientId });

  const write = outboxWriter(db, deps.onOutboxWrite);

  async function page(ref: string, query: ListClientsInput): Promise<Page<ClientRow>> {
    const tenant = await findTenant(db, ref);
    return fetchPage(() => db.clients.listByTenant(tenant.id, query));
  }

  return {
    async create(ref, input) {
      const authMethod =
        input.token_endpoint_auth_method ?? defaultTokenEndpointAuthMethod(input.type);
      assertValid(
        {
          type: input.type,
          redirectUris: input.redirect_uris,
          postLogoutRedirectUris: input.post_logout_redirect_uris,
          grantTypes: input.grant_types,
          tokenEndpointAuthMethod: authMethod,
        },
        { redirectUris: true },
      );
      const secret = input.type === 'confidential' ? newClientSecret() : undefined;
      const row = await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const created = await tx.clients.create({
          id: randomUUID(),
          tenantId: tenant.id,
          clientId: newClientId(),
          name: input.name,
          type: input.type,
          secretHash: secret?.hash ?? null,
          redirectUris: input.redirect_uris,
          grantTypes: input.grant_types,
          scopes: input.scopes,
          allowedOrigins: input.allowed_origins,
          postLogoutRedirectUris: input.post_logout_redirect_uris,
          firstParty: input.first_party,
          accessTokenTtl: input.access_token_ttl,
          refreshTokenTtl: input.refresh_token_ttl,
          idTokenSignedResponseAlg: input.id_token_signed_response_alg,
          tokenEndpointAuthMethod: authMethod,
          logoUri: input.logo_uri,
          clientUri: input.client_uri,
          policyUri: input.policy_uri,
          tosUri: input.tos_uri,
          customClaims: input.custom_claims,
        });
        await publish(tx, 'client.created', tenant.id, created.clientId);
        return created;
      });
      return secret ? { ...toClientView(row), client_secret: secret.token } : toClientView(row);
    },

    async list(ref, query) {
      const result = await page(ref, query);
      return { data: result.rows.map(toClientView), next_cursor: result.nextCursor };
    },

    async get(ref, clientId) {
      return toClientView(await findClient(db, await findTenant(db, ref), clientId));
    },

    async update(ref, clientId, patch) {
      const row = await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const current = await findClient(tx, tenant, clientId);
        assertValid(
          {
            type: current.type,
            redirectUris: patch.redirect_uris ?? current.redirectUris,
            postLogoutRedirectUris:
              patch.post_logout_redirect_uris ?? current.postLogoutRedirectUris,
            grantTypes: patch.grant_types ?? current.grantTypes,
            tokenEndpointAuthMethod:
              patch.token_endpoint_auth_method ?? current.tokenEndpointAuthMethod,
          },
          { redirectUris: patch.redirect_uris !== undefined },
        );
        const updated = await tx.clients.update(tenant.id, clientId, {
          name: patch.name,
          redirectUris: patch.redirect_uris,
          grantTypes: patch.grant_types,
          scopes: patch.scopes,
          allowedOrigins: patch.allowed_origins,
          postLogoutRedirectUris: patch.post_logout_redirect_uris,
          firstParty: patch.first_party,
          accessTokenTtl: patch.access_token_ttl,
          refreshTokenTtl: patch.refresh_token_ttl,
          idTokenSignedResponseAlg: patch.id_token_signed_response_alg,
          tokenEndpointAuthMethod: patch.token_endpoint_auth_method,
          logoUri: patch.logo_uri,
          clientUri: patch.client_uri,
          policyUri: patch.policy_uri,
          tosUri: patch.tos_uri,
          customClaims: patch.custom_claims,
        });
        if (!updated) throw new AppError('client_not_found', `No client "${clientId}".`);
        await publish(tx, 'client.updated', tenant.id, clientId);
        return updated;
      });
      return toClientView(row);
    },

    async remove(ref, clientId) {
      await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        if (!(await tx.clients.delete(tenant.id, clientId))) {
          throw new AppError('client_not_found', `No client "${clientId}".`);
        }
        await publish(tx, 'client.deleted', tenant.id, clientId);
      });
    },

    async rotateSecret(ref, clientId) {
      const secret = newClientSecret();
      await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const current = await findClient(tx, tenant, clientId);
        if (current.type !== 'confidential') {
          throw new AppError('validation_failed', 'Public clients have no secret.', {
            errors: [{ path: 'params.client_id', message: 'public clients have no secret' }],
          });
        }
        await tx.clients.update(tenant.id, clientId, { secretHash: secret.hash });
        // The data plane caches clients; it must drop the copy holding the old hash.
        await publish(tx, 'client.updated', tenant.id, clientId);
      });
      return { client_id: clientId, client_secret: secret.token };
    },

    async getStored(ref, clientId) {
      return findClient(db, await findTenant(db, ref), clientId);
    },

    async listStored(ref, query) {
      return page(ref, query);
    },
  };
}
