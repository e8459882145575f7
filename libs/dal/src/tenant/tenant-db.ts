import type { Knex } from 'knex';
import type { CursorCodec } from '../internal/keyset';
import type { TenantAuditLogRepository } from './audit-log.repository';
import { createTenantAuditLogRepository } from './audit-log.repository';
import type { AuthorizationCodeRepository } from './authorization-code.repository';
import { createAuthorizationCodeRepository } from './authorization-code.repository';
import type { BrowserSessionRepository } from './browser-session.repository';
import { createBrowserSessionRepository } from './browser-session.repository';
import type { ConsentRepository } from './consent.repository';
import { createConsentRepository } from './consent.repository';
import type { CredentialRepository } from './credential.repository';
import { createCredentialRepository } from './credential.repository';
import type { InvitationRepository } from './invitation.repository';
import { createInvitationRepository } from './invitation.repository';
import type { LoginTransactionRepository } from './login-transaction.repository';
import { createLoginTransactionRepository } from './login-transaction.repository';
import type { MailOutboxRepository } from './mail-outbox.repository';
import { createMailOutboxRepository } from './mail-outbox.repository';
import type { MfaChallengeRepository } from './mfa-challenge.repository';
import { createMfaChallengeRepository } from './mfa-challenge.repository';
import type { MfaFactorRepository } from './mfa-factor.repository';
import { createMfaFactorRepository } from './mfa-factor.repository';
import type { MembershipRepository } from './membership.repository';
import { createMembershipRepository } from './membership.repository';
import type { OneTimeTokenRepository } from './one-time-token.repository';
import { createOneTimeTokenRepository } from './one-time-token.repository';
import type { OrganizationRepository } from './organization.repository';
import { createOrganizationRepository } from './organization.repository';
import type { RecoveryCodeRepository } from './recovery-code.repository';
import { createRecoveryCodeRepository } from './recovery-code.repository';
import type { RefreshTokenRepository } from './refresh-token.repository';
import { createRefreshTokenRepository } from './refresh-token.repository';
import type { SessionRepository } from './session.repository';
import { createSessionRepository } from './session.repository';
import type { RoleRepository } from './role.repository';
import { createRoleRepository } from './role.repository';
import type { SigningKeyRepository } from './signing-key.repository';
import { createSigningKeyRepository } from './signing-key.repository';
import type { TenantMetaRepository } from './tenant-meta.repository';
import { createTenantMetaRepository } from './tenant-meta.repository';
import type { UserRepository } from './user.repository';
import { createUserRepository } from './user.repository';
import type { UserRoleRepository } from './user-role.repository';
import { createUserRoleRepository } from './user-role.repository';
import type { WebAuthnChallengeRepository } from './webauthn-challenge.repository';
import { createWebAuthnChallengeRepository } from './webauthn-challenge.repository';
import type { UserImportJobRepository } from './user-import-job.repository';
import { createUserImportJobRepository } from './user-import-job.repository';
import type { FederationStateRepository } from './federation-state.repository';
import { createFederationStateRepository } from './federation-state.repository';
import type { UserIdentityRepository } from './user-identity.repository';
import { createUserIdentityRepository } from './user-identity.repository';
import type { ImportedPasswordRepository } from './imported-password.repository';
import type { DomainOutboxHooks, DomainOutboxRepository } from './domain-outbox.repository';
import { createDomainOutboxRepository } from './domain-outbox.repository';
import { createImportedPasswordRepository } from './imported-password.repository';

/** One tenant's database, as repositories. Only the tenant pools (`createTenantPools`) make these. */
export interface TenantDb {
  readonly tenantId: string;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly sessions: SessionRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly roles: RoleRepository;
  /** Tenant RBAC: tenant-wide roles held by users. */
  readonly userRoles: UserRoleRepository;
  readonly organizations: OrganizationRepository;
  /** Organization members; every organization keeps an owner. */
  readonly memberships: MembershipRepository;
  /** Invitations to organizations: hashed, expiring, single use. */
  readonly invitations: InvitationRepository;
  readonly meta: TenantMetaRepository;
  readonly auditLog: TenantAuditLogRepository;
  /** The hosted login's SSO sessions (rows of `sessions`, revoked like any session). */
  readonly browserSessions: BrowserSessionRepository;
  /** Authorization requests between `/authorize` and their code. */
  readonly loginTransactions: LoginTransactionRepository;
  /** Authorization codes: hashed, 60 s, single use. */
  readonly authorizationCodes: AuthorizationCodeRepository;
  /** Remembered consent per user and client. */
  readonly consents: ConsentRepository;
  /** Mail waiting for (or done with) delivery by the relay. */
  readonly mailOutbox: MailOutboxRepository;
  /** Emailed links and codes: hashed, single use. */
  readonly oneTimeTokens: OneTimeTokenRepository;
  /** Second factors (TOTP, email codes, passkeys). */
  readonly mfaFactors: MfaFactorRepository;
  /** MFA recovery codes: hashed, single use. */
  readonly recoveryCodes: RecoveryCodeRepository;
  /** Pending sign-in MFA steps (mfa_token): hashed, minutes, single use. */
  readonly mfaChallenges: MfaChallengeRepository;
  /** Passkey ceremony challenges: hashed, 5 minutes, single use. */
  readonly webauthnChallenges: WebAuthnChallengeRepository;
  /** User import jobs and the batch writes that import their lines. */
  readonly userImports: UserImportJobRepository;
  /** Imported password hashes (until the first sign-in rehashes them) and their sealed keys. */
  readonly importedPasswords: ImportedPasswordRepository;
  /** Links of users to upstream identity providers' accounts (federation). */
  readonly userIdentities: UserIdentityRepository;
  /** Short-lived server side of federated sign-ins (state, nonce, PKCE; pending links). */
  readonly federationStates: FederationStateRepository;
  /** Domain events (`user.created`, ...) written with their change, relayed to the bus. */
  readonly domainEvents: DomainOutboxRepository;
  /** Runs `fn` in one transaction on this tenant's database; use the `tx` it is given. */
  transaction<T>(fn: (tx: TenantDb) => Promise<T>): Promise<T>;
  /** Throws unless the tenant's database answers. */
  ping(): Promise<void>;
}

/**
 * Internal: `resolve` returns the tenant's current pool, re-opened by the tenant pools if it was closed
 * (idle or LRU) while a caller still held this handle. Each repository access resolves anew.
 */
export function buildTenantDb(
  tenantId: string,
  resolve: () => Knex | Knex.Transaction,
  cursors: CursorCodec,
  domainEventHooks?: DomainOutboxHooks,
): TenantDb {
  return {
    tenantId,
    get users() {
      return createUserRepository(resolve(), cursors);
    },
    get credentials() {
      return createCredentialRepository(resolve());
    },
    get sessions() {
      return createSessionRepository(resolve(), cursors);
    },
    get refreshTokens() {
      return createRefreshTokenRepository(resolve());
    },
    get signingKeys() {
      return createSigningKeyRepository(resolve());
    },
    get roles() {
      return createRoleRepository(resolve());
    },
    get userRoles() {
      return createUserRoleRepository(resolve());
    },
    get organizations() {
      return createOrganizationRepository(resolve(), cursors);
    },
    get memberships() {
      return createMembershipRepository(resolve(), cursors);
    },
    get invitations() {
      return createInvitationRepository(resolve(), cursors);
    },
    get meta() {
      return createTenantMetaRepository(resolve(), tenantId);
    },
    get auditLog() {
      return createTenantAuditLogRepository(resolve(), cursors);
    },
    get browserSessions() {
      return createBrowserSessionRepository(resolve());
    },
    get loginTransactions() {
      return createLoginTransactionRepository(resolve());
    },
    get authorizationCodes() {
      return createAuthorizationCodeRepository(resolve());
    },
    get consents() {
      return createConsentRepository(resolve(), cursors);
    },
    get mailOutbox() {
      return createMailOutboxRepository(resolve());
    },
    get oneTimeTokens() {
      return createOneTimeTokenRepository(resolve());
    },
    get mfaFactors() {
      return createMfaFactorRepository(resolve());
    },
    get recoveryCodes() {
      return createRecoveryCodeRepository(resolve());
    },
    get mfaChallenges() {
      return createMfaChallengeRepository(resolve());
    },
    get webauthnChallenges() {
      return createWebAuthnChallengeRepository(resolve());
    },
    get userImports() {
      return createUserImportJobRepository(resolve());
    },
    get importedPasswords() {
      return createImportedPasswordRepository(resolve());
    },
    get userIdentities() {
      return createUserIdentityRepository(resolve());
    },
    get federationStates() {
      return createFederationStateRepository(resolve());
    },
    get domainEvents() {
      return createDomainOutboxRepository(resolve(), tenantId, domainEventHooks);
    },
    transaction: (fn) =>
      resolve().transaction((trx) =>
        fn(buildTenantDb(tenantId, () => trx, cursors, domainEventHooks)),
      ),
    async ping() {
      await resolve().raw('select 1');
    },
  };
}
