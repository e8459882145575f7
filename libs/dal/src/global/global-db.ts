import type { Knex } from 'knex';
import { driverOf } from '../connect';
import { createCursorCodec, type CursorCodec } from '../internal/keyset';
import type { DatabaseDriver } from '../url';
import type { ApiResourceRepository } from './api-resource.repository';
import { createApiResourceRepository } from './api-resource.repository';
import type { AuditLogRepository } from './audit-log.repository';
import { createAuditLogRepository } from './audit-log.repository';
import type { ClientRepository } from './client.repository';
import { createClientRepository } from './client.repository';
import type { ApiKeyRepository } from './api-key.repository';
import { createApiKeyRepository } from './api-key.repository';
import type { AdminInvitationRepository } from './cp-admin-invitation.repository';
import { createAdminInvitationRepository } from './cp-admin-invitation.repository';
import type { AdminMfaRepository } from './cp-admin-mfa.repository';
import { createAdminMfaRepository } from './cp-admin-mfa.repository';
import type { AdminSessionRepository } from './cp-admin-session.repository';
import { createAdminSessionRepository } from './cp-admin-session.repository';
import type { AdminRepository } from './cp-admin.repository';
import { createAdminRepository } from './cp-admin.repository';
import type { CpSigningKeyRepository } from './cp-signing-key.repository';
import { createCpSigningKeyRepository } from './cp-signing-key.repository';
import type { IdentityProviderRepository } from './identity-provider.repository';
import { createIdentityProviderRepository } from './identity-provider.repository';
import type { OutboxRepository } from './outbox.repository';
import { createOutboxRepository } from './outbox.repository';
import type { TenantRepository } from './tenant.repository';
import { createTenantRepository } from './tenant.repository';
import type { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { createWebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookRepository } from './webhook.repository';
import { createWebhookRepository } from './webhook.repository';

/** The control plane's global database, as repositories. */
export interface GlobalDb {
  readonly driver: DatabaseDriver;
  readonly tenants: TenantRepository;
  readonly clients: ClientRepository;
  readonly apiResources: ApiResourceRepository;
  readonly admins: AdminRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly adminSessions: AdminSessionRepository;
  readonly adminInvitations: AdminInvitationRepository;
  readonly adminMfa: AdminMfaRepository;
  readonly signingKeys: CpSigningKeyRepository;
  readonly outbox: OutboxRepository;
  readonly auditLog: AuditLogRepository;
  readonly webhooks: WebhookRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  readonly identityProviders: IdentityProviderRepository;
  /** Runs `fn` in one transaction; use the `tx` it is given, not the outer handle. */
  transaction<T>(fn: (tx: GlobalDb) => Promise<T>): Promise<T>;
  /** Throws unless the database answers. */
  ping(): Promise<void>;
  /** Closes the pool (not allowed on a transaction's handle). */
  destroy(): Promise<void>;
}

function build(
  db: Knex | Knex.Transaction,
  root: Knex | undefined,
  cursors: CursorCodec,
): GlobalDb {
  return {
    driver: driverOf(db),
    tenants: createTenantRepository(db, cursors),
    clients: createClientRepository(db, cursors),
    apiResources: createApiResourceRepository(db, cursors),
    admins: createAdminRepository(db, cursors),
    apiKeys: createApiKeyRepository(db, cursors),
    adminSessions: createAdminSessionRepository(db),
    adminInvitations: createAdminInvitationRepository(db),
    adminMfa: createAdminMfaRepository(db),
    signingKeys: createCpSigningKeyRepository(db),
    outbox: createOutboxRepository(db),
    auditLog: createAuditLogRepository(db, cursors),
    webhooks: createWebhookRepository(db, cursors),
    webhookDeliveries: createWebhookDeliveryRepository(db, cursors),
    identityProviders: createIdentityProviderRepository(db, cursors),
    transaction: (fn) => db.transaction((trx) => fn(build(trx, undefined, cursors))),
    async ping() {
      await db.raw('select 1');
    },
    async destroy() {
      if (root === undefined) throw new Error('destroy() is not available inside a transaction');
      await root.destroy();
    },
  };
}

/** Options of {@link createGlobalDb}. */
export interface GlobalDbOptions {
  /**
   * Key of the HMAC that signs pagination cursors (at least 16 bytes; the control plane derives
   * it from its master key). Default: random per process, so cursors do not survive a restart.
   */
  cursorSecret?: Buffer;
}

/**
 * Wraps a knex instance (from {@link createKnex}) as the control plane's repositories.
 *
 * @example
 * const db = createGlobalDb(createKnex(config.cpDatabaseUrl), { cursorSecret });
 * await db.transaction(async (tx) => {
 *   await tx.tenants.create({ id, slug: 'acme', name: 'Acme', databaseMode: 'managed' });
 *   await tx.outbox.add({ id: eventId, type: 'tenant.created', tenantId: id, payload: {} });
 * });
 */
export function createGlobalDb(knex: Knex, options: GlobalDbOptions = {}): GlobalDb {
  return build(knex, knex, createCursorCodec(options.cursorSecret));
}
