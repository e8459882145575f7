import type { NamedMigration } from '../schema-helpers';
import * as createTenantMeta from './20261127100100_create_tenant_meta';
import * as createUsers from './20261127100200_create_users';
import * as createCredentials from './20261127100300_create_credentials';
import * as createSessions from './20261127100400_create_sessions';
import * as createRefreshTokens from './20261127100500_create_refresh_tokens';
import * as createSigningKeys from './20261127100600_create_signing_keys';
import * as createMfaFactors from './20261127100700_create_mfa_factors';
import * as createRecoveryCodes from './20261127100800_create_recovery_codes';
import * as createOrganizations from './20261127100900_create_organizations';
import * as createRoles from './20261127101000_create_roles';
import * as createMemberships from './20261127101100_create_memberships';
import * as createInvitations from './20261127101200_create_invitations';
import * as createAuditLog from './20261127101300_create_audit_log';
import * as createEmailTokens from './20261127101400_create_email_tokens';
import * as addRefreshSuccessor from './20261203100000_add_refresh_successor';
import * as renameAuditActions from './20261204100000_rename_audit_actions';
import * as addSessionSso from './20261205100000_add_session_sso';
import * as createOAuthLoginTransactions from './20261205100100_create_oauth_login_transactions';
import * as createOAuthAuthorizationCodes from './20261205100200_create_oauth_authorization_codes';
import * as createOAuthConsents from './20261205100300_create_oauth_consents';
import * as createMailTables from './20261206100000_create_mail_tables';
import * as mfa from './20261207100000_mfa';
import * as createWebAuthnChallenges from './20261207100100_webauthn_challenges';
import * as organizationsRbac from './20261208100000_organizations_rbac';
import * as resourceIndicators from './20261210100000_resource_indicators';
import * as userImportJobs from './20261210200000_user_import_jobs';
import * as userIdentities from './20261212100000_user_identities';
import * as createOutbox from './20261213100000_create_outbox';

/** Tenant migrations in order. Listed statically so tsx, jest and dist all see them. */
export const tenantMigrations: readonly NamedMigration[] = [
  { name: '20261127100100_create_tenant_meta', migration: createTenantMeta },
  { name: '20261127100200_create_users', migration: createUsers },
  { name: '20261127100300_create_credentials', migration: createCredentials },
  { name: '20261127100400_create_sessions', migration: createSessions },
  { name: '20261127100500_create_refresh_tokens', migration: createRefreshTokens },
  { name: '20261127100600_create_signing_keys', migration: createSigningKeys },
  { name: '20261127100700_create_mfa_factors', migration: createMfaFactors },
  { name: '20261127100800_create_recovery_codes', migration: createRecoveryCodes },
  { name: '20261127100900_create_organizations', migration: createOrganizations },
  { name: '20261127101000_create_roles', migration: createRoles },
  { name: '20261127101100_create_memberships', migration: createMemberships },
  { name: '20261127101200_create_invitations', migration: createInvitations },
  { name: '20261127101300_create_audit_log', migration: createAuditLog },
  { name: '20261127101400_create_email_tokens', migration: createEmailTokens },
  { name: '20261203100000_add_refresh_successor', migration: addRefreshSuccessor },
  { name: '20261204100000_rename_audit_actions', migration: renameAuditActions },
  { name: '20261205100000_add_session_sso', migration: addSessionSso },
  {
    name: '20261205100100_create_oauth_login_transactions',
    migration: createOAuthLoginTransactions,
  },
  {
    name: '20261205100200_create_oauth_authorization_codes',
    migration: createOAuthAuthorizationCodes,
  },
  { name: '20261205100300_create_oauth_consents', migration: createOAuthConsents },
  { name: '20261206100000_create_mail_tables', migration: createMailTables },
  { name: '20261207100000_mfa', migration: mfa },
  { name: '20261207100100_webauthn_challenges', migration: createWebAuthnChallenges },
  { name: '20261208100000_organizations_rbac', migration: organizationsRbac },
  { name: '20261210100000_resource_indicators', migration: resourceIndicators },
  { name: '20261210200000_user_import_jobs', migration: userImportJobs },
  { name: '20261212100000_user_identities', migration: userIdentities },
  { name: '20261213100000_create_outbox', migration: createOutbox },
];

/** Every table the tenant migrations create (used to recognise a half-provisioned database). */
export const tenantTableNames: readonly string[] = [
  'tenant_meta',
  'users',
  'credentials',
  'sessions',
  'refresh_tokens',
  'signing_keys',
  'mfa_factors',
  'recovery_codes',
  'organizations',
  'roles',
  'memberships',
  'invitations',
  'audit_log',
  'email_tokens',
  'oauth_login_transactions',
  'oauth_authorization_codes',
  'oauth_consents',
  'mail_outbox',
  'one_time_tokens',
  'mfa_challenges',
  'webauthn_challenges',
  'user_roles',
  'user_import_jobs',
  'user_import_lines',
  'password_hash_keys',
  'user_identities',
  'federation_states',
  'outbox',
];
