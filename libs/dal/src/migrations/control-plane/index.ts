import type { NamedMigration } from '../schema-helpers';
import * as createTenants from './20261127000100_create_tenants';
import * as createClients from './20261127000200_create_clients';
import * as createCpAdmins from './20261127000300_create_cp_admins';
import * as createCpSigningKeys from './20261127000400_create_cp_signing_keys';
import * as createOutbox from './20261127000500_create_outbox';
import * as createOutboxRelayLock from './20261127000600_create_outbox_relay_lock';
import * as createAuditLog from './20261127000700_create_audit_log';
import * as renameAuditActions from './20261204000100_rename_audit_actions';
import * as addClientSettings from './20261205000100_add_client_settings';
import * as apiResources from './20261210100000_api_resources';
import * as clientCustomClaims from './20261210100100_client_custom_claims';
import * as createOperatorAccess from './20261210200000_create_operator_access';
import * as webhooks from './20261210300000_webhooks';
import * as identityProviders from './20261212100000_identity_providers';
import * as adminInvitationsAndTotp from './20261212200000_admin_invitations_and_totp';

/** Control-plane migrations in order. Listed statically so tsx, jest and dist all see them. */
export const controlPlaneMigrations: readonly NamedMigration[] = [
  { name: '20261127000100_create_tenants', migration: createTenants },
  { name: '20261127000200_create_clients', migration: createClients },
  { name: '20261127000300_create_cp_admins', migration: createCpAdmins },
  { name: '20261127000400_create_cp_signing_keys', migration: createCpSigningKeys },
  { name: '20261127000500_create_outbox', migration: createOutbox },
  { name: '20261127000600_create_outbox_relay_lock', migration: createOutboxRelayLock },
  { name: '20261127000700_create_audit_log', migration: createAuditLog },
  { name: '20261204000100_rename_audit_actions', migration: renameAuditActions },
  { name: '20261205000100_add_client_settings', migration: addClientSettings },
  { name: '20261210100000_api_resources', migration: apiResources },
  { name: '20261210100100_client_custom_claims', migration: clientCustomClaims },
  { name: '20261210200000_create_operator_access', migration: createOperatorAccess },
  { name: '20261210300000_webhooks', migration: webhooks },
  { name: '20261212100000_identity_providers', migration: identityProviders },
  { name: '20261212200000_admin_invitations_and_totp', migration: adminInvitationsAndTotp },
];
