import { randomUUID } from 'node:crypto';
import type { GlobalDb, IdentityProviderRow, TenantRow } from '@hellojohn/dal';
import {
  MAX_IDENTITY_PROVIDERS_PER_TENANT,
  type InternalIdentityProvider,
} from '@hellojohn/contracts';
import { AppError } from '@hellojohn/http';
import { fetchPage } from '../../shared/fetch-page';
import { addToOutbox, outboxWriter } from '../../shared/outbox-writes';
import { findTenant, writableTenant } from '../../shared/tenant-refs';
import type {
  CreateIdentityProviderInput,
  IdentityProviderView,
  ListIdentityProvidersInput,
  UpdateIdentityProviderInput,
} from './identity-providers.schemas';
import { checkProviderShape } from './identity-providers.schemas';
import { DEFAULT_SCOPES, providerTypeOf, StoredProviderConfig } from './provider-config';
import { openProviderSecret, sealProviderSecret } from './provider-secret';

export interface IdentityProviderService {
  create(tenant: string, input: CreateIdentityProviderInput): Promise<IdentityProviderView>;
  list(
    tenant: string,
    query: ListIdentityProvidersInput,
  ): Promise<{ data: IdentityProviderView[]; next_cursor: string | null }>;
  get(tenant: string, id: string): Promise<IdentityProviderView>;
  update(
    tenant: string,
    id: string,
    patch: UpdateIdentityProviderInput,
  ): Promise<IdentityProviderView>;
  remove(tenant: string, id: string): Promise<void>;
  /** For the internal API: every provider of the tenant, secrets opened. */
  catalogue(tenant: string): Promise<InternalIdentityProvider[]>;
}

function notFound(id: string): AppError {
  return new AppError('identity_provider_not_found', `No identity provider "${id}".`);
}

/**
 * A tenant's upstream identity providers (docs/federation.md). The client secret (or Apple's
 * private key) is sealed with the master key, bound to the provider's id, and never answered;
 * every change commits with an `identity_provider.*` event, on which the data plane drops its
 * cached copy of the tenant's providers.
 *
 * @example
 * const providers = createIdentityProviderService({ db, masterKey, publicUrl, onOutboxWrite });
 * await providers.create('acme', { type: 'google', name: 'Google', client_id, client_secret, ... });
 */
export function createIdentityProviderService(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  /** `HJ_PUBLIC_URL`: the data plane's base, for the callback URL to register upstream. */
  publicUrl: string;
  onOutboxWrite: () => void;
}): IdentityProviderService {
  const { db, masterKey } = deps;
  const write = outboxWriter(db, deps.onOutboxWrite);
  const base = deps.publicUrl.replace(/\/+$/, '');

  function toView(row: IdentityProviderRow, tenant: TenantRow): IdentityProviderView {
    const config = StoredProviderConfig.parse(row.config);
    return {
      id: row.id,
      type: providerTypeOf(row.type),
      name: row.name,
      enabled: row.enabled,
      issuer: config.issuer,
      client_id: config.client_id,
      client_secret_set: row.secretSealed !== null,
      scopes: config.scopes,
      attribute_mapping: config.attribute_mapping,
      icon_url: config.icon_url,
      button_label: config.button_label,
      store_upstream_tokens: config.store_upstream_tokens,
      apple: config.apple,
      endpoints: Object.fromEntries(
        Object.entries(config.endpoints).flatMap(([name, url]) =>
          typeof url === 'string' ? [[name, url]] : [],
        ),
      ),
      callback_url: `${base}/t/${tenant.slug}/login/federated/${row.id}/callback`,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  async function findProvider(handle: GlobalDb, tenant: TenantRow, id: string) {
    const row = await handle.identityProviders.find(tenant.id, id);
    if (!row) throw notFound(id);
    return row;
  }

  const publish = (
    tx: GlobalDb,
    type: 'identity_provider.created' | 'identity_provider.updated' | 'identity_provider.deleted',
    tenantId: string,
    providerId: string,
  ): Promise<void> => addToOutbox(tx, type, tenantId, { identity_provider_id: providerId });

  return {
    async create(ref, input) {
      return write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const count = await tx.identityProviders.countByTenant(tenant.id);
        if (count >= MAX_IDENTITY_PROVIDERS_PER_TENANT) {
          throw new AppError(
            'identity_provider_limit_reached',
            `A tenant may configure at most ${MAX_IDENTITY_PROVIDERS_PER_TENANT} identity providers.`,
          );
        }
        const id = randomUUID();
        const secret = input.apple?.private_key ?? input.client_secret;
        const config: StoredProviderConfig = {
          issuer: input.type === 'microsoft' ? (input.issuer ?? 'common') : (input.issuer ?? null),
          client_id: input.client_id,
          scopes: input.scopes ?? [...DEFAULT_SCOPES[input.type]],
          attribute_mapping: {
            email: input.attribute_mapping.email ?? 'email',
            name: input.attribute_mapping.name ?? 'name',
            picture: input.attribute_mapping.picture ?? 'picture',
          },
          icon_url: input.icon_url,
          button_label: input.button_label,
          store_upstream_tokens: input.store_upstream_tokens,
          apple: input.apple ? { team_id: input.apple.team_id, key_id: input.apple.key_id } : null,
          endpoints: input.endpoints,
        };
        const row = await tx.identityProviders.create({
          id,
          tenantId: tenant.id,
          type: input.type,
          name: input.name,
          enabled: input.enabled,
          config,
          secretSealed: secret === undefined ? null : sealProviderSecret(masterKey, id, secret),
        });
        await publish(tx, 'identity_provider.created', tenant.id, id);
        return toView(row, tenant);
      });
    },

    async list(ref, query) {
      const tenant = await findTenant(db, ref);
      const page = await fetchPage(() => db.identityProviders.listByTenant(tenant.id, query));
      return {
        data: page.rows.map((row) => toView(row, tenant)),
        next_cursor: page.nextCursor,
      };
    },

    async get(ref, id) {
      const tenant = await findTenant(db, ref);
      return toView(await findProvider(db, tenant, id), tenant);
    },

    async update(ref, id, patch) {
      return write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const row = await findProvider(tx, tenant, id);
        const type = providerTypeOf(row.type);
        const stored = StoredProviderConfig.parse(row.config);
        const config: StoredProviderConfig = {
          ...stored,
          issuer: patch.issuer ?? stored.issuer,
          client_id: patch.client_id ?? stored.client_id,
          scopes: patch.scopes ?? stored.scopes,
          attribute_mapping: { ...stored.attribute_mapping, ...patch.attribute_mapping },
          icon_url: patch.icon_url === undefined ? stored.icon_url : patch.icon_url,
          button_label: patch.button_label === undefined ? stored.button_label : patch.button_label,
          store_upstream_tokens: patch.store_upstream_tokens ?? stored.store_upstream_tokens,
          apple: patch.apple
            ? { team_id: patch.apple.team_id, key_id: patch.apple.key_id }
            : stored.apple,
          endpoints: patch.endpoints ?? stored.endpoints,
        };
        const errors: { path: string; message: string }[] = [];
        checkProviderShape(
          {
            type,
            issuer: config.issuer,
            hasSecret:
              type === 'apple'
                ? patch.client_secret !== undefined
                : row.secretSealed !== null || patch.client_secret !== undefined,
            hasApple: config.apple !== null,
          },
          {
            addIssue: (issue) =>
              errors.push({ path: `body.${issue.path.join('.')}`, message: issue.message }),
          },
        );
        if (errors.length > 0) {
          throw new AppError('validation_failed', 'The request body is not valid.', { errors });
        }
        const secret = patch.apple?.private_key ?? patch.client_secret;
        const updated = await tx.identityProviders.update(tenant.id, id, {
          name: patch.name,
          enabled: patch.enabled,
          config,
          secretSealed:
            secret === undefined ? undefined : sealProviderSecret(masterKey, id, secret),
        });
        if (!updated) throw notFound(id);
        await publish(tx, 'identity_provider.updated', tenant.id, id);
        return toView(updated, tenant);
      });
    },

    async remove(ref, id) {
      await write(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        if (!(await tx.identityProviders.delete(tenant.id, id))) throw notFound(id);
        await publish(tx, 'identity_provider.deleted', tenant.id, id);
      });
    },

    async catalogue(ref) {
      const tenant = await findTenant(db, ref);
      const rows = await db.identityProviders.listAll(tenant.id);
      return rows.map((row) => {
        const config = StoredProviderConfig.parse(row.config);
        const secret =
          row.secretSealed === null
            ? null
            : openProviderSecret(masterKey, row.id, row.secretSealed);
        const type = providerTypeOf(row.type);
        return {
          id: row.id,
          type,
          name: row.name,
          enabled: row.enabled,
          issuer: config.issuer,
          client_id: config.client_id,
          client_secret: type === 'apple' ? null : secret,
          scopes: config.scopes,
          attribute_mapping: config.attribute_mapping,
          icon_url: config.icon_url,
          button_label: config.button_label,
          store_upstream_tokens: config.store_upstream_tokens,
          apple:
            type === 'apple' && config.apple && secret !== null
              ? { ...config.apple, private_key: secret }
              : null,
          endpoints: config.endpoints,
        };
      });
    },
  };
}
