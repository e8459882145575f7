import type {
  Admin,
  AdminSignInInput,
  AdminsQuery,
  AdminToken,
  ApiResource,
  ApiResourcesQuery,
  AuditEntry,
  AuditLogQuery,
  ClientResourceGrant,
  ClientResourceGrantList,
  ClientSecret,
  ClientsQuery,
  CreateAdminInput,
  CreateApiResourceInput,
  CreateClientInput,
  CreatedOAuthClient,
  CreateTenantInput,
  KeyRotationAccepted,
  ListTenantsQuery,
  OAuthClient,
  Tenant,
  UpdateApiResourceInput,
  UpdateClientInput,
  UpdateTenantInput,
} from './control-plane-types';
import { createHttpClient, seg } from './http-client';
import { identityProvidersApi } from './identity-providers-client';
import type {
  AcceptAdminInvitationInput,
  AdminMfaVerifyInput,
  AdminRecoveryCodes,
  AdminSessionTokens,
  AdminSignInResult,
  AdminTotpEnrolment,
  ApiKey,
  ApiKeyWithSecret,
  CreateApiKeyInput,
  InvitedAdmin,
  UpdateAdminInput,
} from './operator-types';
import type { Query } from './http-client';
import { paginate, type Page } from './page';
import type {
  CreateWebhookInput,
  RotateWebhookSecretInput,
  UpdateWebhookInput,
  Webhook,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhooksQuery,
  WebhookWithSecret,
} from './webhook-types';

export interface ControlPlaneClientOptions {
  /** e.g. `http://localhost:8081`. */
  baseUrl: string;
  /** A CP admin access token (from `auth.signIn`) or an API key (`hjk_...`). */
  token?: string;
  /** Called before each call instead of `token`, e.g. to refresh it. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

const q = (query: object | undefined): Query => ({ ...(query as Query | undefined) });

/**
 * A typed client for the control plane's REST API (docs/api.md). Failed calls throw
 * `HelloJohnApiError`.
 *
 * @example
 * ```ts
 * const anon = createControlPlaneClient({ baseUrl: 'http://localhost:8081' });
 * const { access_token } = await anon.auth.signIn({ email, password });
 * const cp = createControlPlaneClient({ baseUrl: 'http://localhost:8081', token: access_token });
 * const tenant = await cp.tenants.create({ slug: 'acme', name: 'Acme' });
 * ```
 */
export function createControlPlaneClient(options: ControlPlaneClientOptions) {
  const { token } = options;
  const send = createHttpClient({
    baseUrl: options.baseUrl,
    getToken: options.getToken ?? (() => token),
    ...(options.fetch && { fetch: options.fetch }),
  });
  const tenantPath = (tenant: string): string => `/v1/tenants/${seg(tenant)}`;
  const clientPath = (tenant: string, clientId: string): string =>
    `${tenantPath(tenant)}/clients/${seg(clientId)}`;
  const resourcesPath = (tenant: string): string => `${tenantPath(tenant)}/resources`;
  const grantPath = (tenant: string, clientId: string, resourceId: string): string =>
    `${clientPath(tenant, clientId)}/resources/${seg(resourceId)}`;
  const webhooksPath = (tenant: string): string => `${tenantPath(tenant)}/webhooks`;
  const listWebhooks = (tenant: string, query?: WebhooksQuery) =>
    send<Page<Webhook>>({ method: 'GET', path: webhooksPath(tenant), query: q(query) });
  const listResources = (tenant: string, query?: ApiResourcesQuery) =>
    send<Page<ApiResource>>({ method: 'GET', path: resourcesPath(tenant), query: q(query) });

  return {
    auth: {
      /** Tokens, or `{mfa_required, mfa_token}` for an admin with an authenticator. */
      signIn: (body: AdminSignInInput) =>
        send<AdminSignInResult>({ method: 'POST', path: '/v1/auth/sign-in', body }),
      /** Completes a sign-in that answered `mfa_required` with a TOTP or recovery code. */
      verifyMfa: (body: AdminMfaVerifyInput) =>
        send<AdminToken>({ method: 'POST', path: '/v1/auth/mfa/verify', body }),
      /** Spends an invitation link's `token`, sets the password and signs in. */
      acceptInvitation: (body: AcceptAdminInvitationInput) =>
        send<AdminToken>({ method: 'POST', path: '/v1/auth/invitations/accept', body }),
      /** The signed-in admin's authenticator (not for API keys). */
      totp: {
        /** A new secret (shown once); confirm it with a code within 10 minutes. */
        enrol: () => send<AdminTotpEnrolment>({ method: 'POST', path: '/v1/auth/totp', body: {} }),
        /** Confirms the enrolment; answers recovery codes, shown once. */
        confirm: (code: string) =>
          send<AdminRecoveryCodes>({
            method: 'POST',
            path: '/v1/auth/totp/confirm',
            body: { code },
          }),
        /** Removes the authenticator with a current (or recovery) code. */
        remove: (code: string) =>
          send<undefined>({ method: 'DELETE', path: '/v1/auth/totp', body: { code } }),
      },
      /** Spends the refresh token for a new pair; a spent one again ends the session. */
      refresh: (refreshToken: string) =>
        send<AdminSessionTokens>({
          method: 'POST',
          path: '/v1/auth/refresh',
          body: { refresh_token: refreshToken },
        }),
      /** Ends the session of the client's token, or of `refreshToken` when given. */
      signOut: (refreshToken?: string) =>
        send<undefined>({
          method: 'POST',
          path: '/v1/auth/sign-out',
          ...(refreshToken === undefined ? {} : { body: { refresh_token: refreshToken } }),
        }),
    },
    admins: {
      list: (query?: AdminsQuery) =>
        send<Page<Admin>>({ method: 'GET', path: '/v1/admins', query: q(query) }),
      /** Without `password` (or with `invite: true`) the admin is invited by mail. */
      create: (body: CreateAdminInput) =>
        send<InvitedAdmin>({ method: 'POST', path: '/v1/admins', body }),
      /** Mails an invited admin a new link; earlier links stop working. */
      resendInvitation: (id: string) =>
        send<InvitedAdmin>({ method: 'POST', path: `/v1/admins/${seg(id)}/invitation`, body: {} }),
      /** Changes role or tenants, or disables/enables; earlier tokens stop on both planes. */
      update: (id: string, body: UpdateAdminInput) =>
        send<Admin>({ method: 'PATCH', path: `/v1/admins/${seg(id)}`, body }),
      delete: (id: string) => send<undefined>({ method: 'DELETE', path: `/v1/admins/${seg(id)}` }),
    },
    /** API keys (`hjk_...`): bearer credentials for machines, on both planes' admin routes. */
    apiKeys: {
      /** The answer's `key` is shown this once. */
      create: (body: CreateApiKeyInput) =>
        send<ApiKeyWithSecret>({ method: 'POST', path: '/v1/api-keys', body }),
      list: (query?: { limit?: number; cursor?: string | undefined }) =>
        send<Page<ApiKey>>({ method: 'GET', path: '/v1/api-keys', query: q(query) }),
      revoke: (id: string) =>
        send<undefined>({ method: 'DELETE', path: `/v1/api-keys/${seg(id)}` }),
      /** A new key (shown once); the old one works `overlapSeconds` more (default 0). */
      rotate: (id: string, overlapSeconds = 0) =>
        send<ApiKeyWithSecret>({
          method: 'POST',
          path: `/v1/api-keys/${seg(id)}/rotate`,
          body: { overlap_seconds: overlapSeconds },
        }),
    },
    tenants: {
      /** Answers at once with `status: 'provisioning'`; poll `get` until `active`. */
      create: (body: CreateTenantInput) =>
        send<Tenant>({ method: 'POST', path: '/v1/tenants', body }),
      list: (query?: ListTenantsQuery) =>
        send<Page<Tenant>>({ method: 'GET', path: '/v1/tenants', query: q(query) }),
      /** `tenant` is an id or a slug. */
      get: (tenant: string) => send<Tenant>({ method: 'GET', path: tenantPath(tenant) }),
      update: (tenant: string, body: UpdateTenantInput) =>
        send<Tenant>({ method: 'PATCH', path: tenantPath(tenant), body }),
      /** Answers with `status: 'deleting'`; the tenant is gone once deprovisioned. */
      delete: (tenant: string) => send<Tenant>({ method: 'DELETE', path: tenantPath(tenant) }),
      rotateKeys: (tenant: string) =>
        send<KeyRotationAccepted>({ method: 'POST', path: `${tenantPath(tenant)}/keys/rotate` }),
    },
    clients: {
      create: (tenant: string, body: CreateClientInput) =>
        send<CreatedOAuthClient>({ method: 'POST', path: `${tenantPath(tenant)}/clients`, body }),
      list: (tenant: string, query?: ClientsQuery) =>
        send<Page<OAuthClient>>({
          method: 'GET',
          path: `${tenantPath(tenant)}/clients`,
          query: q(query),
        }),
      get: (tenant: string, clientId: string) =>
        send<OAuthClient>({ method: 'GET', path: clientPath(tenant, clientId) }),
      update: (tenant: string, clientId: string, body: UpdateClientInput) =>
        send<OAuthClient>({ method: 'PATCH', path: clientPath(tenant, clientId), body }),
      delete: (tenant: string, clientId: string) =>
        send<undefined>({ method: 'DELETE', path: clientPath(tenant, clientId) }),
      rotateSecret: (tenant: string, clientId: string) =>
        send<ClientSecret>({ method: 'POST', path: `${clientPath(tenant, clientId)}/secret` }),
      /** The client's grants on API resources: what client credentials may obtain for each. */
      grants: (tenant: string, clientId: string) =>
        send<ClientResourceGrantList>({
          method: 'GET',
          path: `${clientPath(tenant, clientId)}/resources`,
        }),
      /**
       * Sets the scopes a confidential client may obtain for an API resource (replacing any
       * earlier grant on it); each scope must be one the resource defines.
       */
      grantResource: (tenant: string, clientId: string, resourceId: string, scopes: string[]) =>
        send<ClientResourceGrant>({
          method: 'PUT',
          path: grantPath(tenant, clientId, resourceId),
          body: { scopes },
        }),
      /** Removes the client's grant on an API resource: client credentials for it are refused. */
      revokeResource: (tenant: string, clientId: string, resourceId: string) =>
        send<undefined>({ method: 'DELETE', path: grantPath(tenant, clientId, resourceId) }),
    },
    /** The tenant's API resources (docs/apis.md): the audiences tokens are requested for. */
    resources: {
      create: (tenant: string, body: CreateApiResourceInput) =>
        send<ApiResource>({ method: 'POST', path: resourcesPath(tenant), body }),
      /** One page (`query.cursor`: the previous `next_cursor`). */
      list: listResources,
      /** Every API resource of the tenant, page after page (`limit`: the page size). */
      iterate: (tenant: string, options?: { limit?: number }): AsyncGenerator<ApiResource> =>
        paginate((cursor) => listResources(tenant, { limit: options?.limit, cursor })),
      /** `id` is the id the control plane gave it, not its identifier. */
      get: (tenant: string, id: string) =>
        send<ApiResource>({ method: 'GET', path: `${resourcesPath(tenant)}/${seg(id)}` }),
      /** Changes only the fields given; scopes it no longer defines leave client grants too. */
      update: (tenant: string, id: string, body: UpdateApiResourceInput) =>
        send<ApiResource>({ method: 'PATCH', path: `${resourcesPath(tenant)}/${seg(id)}`, body }),
      /** Deletes the resource and every client grant on it. */
      delete: (tenant: string, id: string) =>
        send<undefined>({ method: 'DELETE', path: `${resourcesPath(tenant)}/${seg(id)}` }),
    },
    /** The tenant's webhooks and their delivery log (docs/webhooks.md). */
    webhooks: {
      /** The answer carries the signing secret, shown this once. */
      create: (tenant: string, body: CreateWebhookInput) =>
        send<WebhookWithSecret>({ method: 'POST', path: webhooksPath(tenant), body }),
      list: listWebhooks,
      /** Every webhook of the tenant, page after page. */
      iterate: (tenant: string, options?: { limit?: number }): AsyncGenerator<Webhook> =>
        paginate((cursor) => listWebhooks(tenant, { limit: options?.limit, cursor })),
      get: (tenant: string, id: string) =>
        send<Webhook>({ method: 'GET', path: `${webhooksPath(tenant)}/${seg(id)}` }),
      update: (tenant: string, id: string, body: UpdateWebhookInput) =>
        send<Webhook>({ method: 'PATCH', path: `${webhooksPath(tenant)}/${seg(id)}`, body }),
      delete: (tenant: string, id: string) =>
        send<undefined>({ method: 'DELETE', path: `${webhooksPath(tenant)}/${seg(id)}` }),
      /** A new secret; the old one keeps signing beside it for `overlap_seconds`. */
      rotateSecret: (tenant: string, id: string, body: RotateWebhookSecretInput = {}) =>
        send<WebhookWithSecret>({
          method: 'POST',
          path: `${webhooksPath(tenant)}/${seg(id)}/secret/rotate`,
          body,
        }),
      /** One page of deliveries, newest first. */
      deliveries: (tenant: string, id: string, query?: WebhookDeliveriesQuery) =>
        send<Page<WebhookDelivery>>({
          method: 'GET',
          path: `${webhooksPath(tenant)}/${seg(id)}/deliveries`,
          query: q(query),
        }),
      /** Makes a delivery due now (same `webhook-id`). */
      retryDelivery: (tenant: string, id: string, deliveryId: string) =>
        send<WebhookDelivery>({
          method: 'POST',
          path: `${webhooksPath(tenant)}/${seg(id)}/deliveries/${seg(deliveryId)}/retry`,
        }),
    },
    /** The tenant's upstream identity providers (docs/federation.md); secrets go in only. */
    identityProviders: identityProvidersApi(send),
    auditLog: {
      list: (query?: AuditLogQuery) =>
        send<Page<AuditEntry>>({ method: 'GET', path: '/v1/audit-log', query: q(query) }),
    },
  };
}

export type ControlPlaneClient = ReturnType<typeof createControlPlaneClient>;
