import { createApiRouter, type ApiRouter, type Guard } from '@hellojohn/http';
import { Router, type ErrorRequestHandler } from 'express';
import type { LimitKind } from '../abuse/limit-table';
import type { AccountModule } from '../features/account';
import type { AdminUsersModule } from '../features/admin-users';
import type { AdminOrganizationsModule } from '../features/admin-organizations';
import type { AdminSessionsModule } from '../features/admin-sessions';
import type { RolesModule } from '../features/roles';
import type { OrganizationsModule } from '../features/organizations';
import type { AuthModule } from '../features/auth';
import type { ConsentsModule } from '../features/consents';
import type { DeadLettersModule } from '../features/dead-letters';
import type { EmailVerificationModule } from '../features/email-verification';
import { servePasskeyAsset, type HostedLoginModule } from '../features/hosted-login';
import type { FederationModule } from '../features/federation';
import type { PasswordResetModule } from '../features/password-reset';
import type { PasswordlessModule } from '../features/passwordless';
import type { MfaModule } from '../features/mfa';
import type { PasskeysModule } from '../features/passkeys';
import type { SessionsModule } from '../features/sessions';
import type { UserTransferModule } from '../features/user-transfer';
import type { AdminActor } from '../guards/require-cp-admin';
import { jwksRoute } from '../keys/jwks.routes';
import type { Keyring } from '../keys/keyring';
import { authorizationServerMetadata, oauthPathErrors, type OAuth2Module } from '../oauth2';
import { openidConfiguration } from '../oauth2/discovery';

/**
 * The middleware the route table places by hand, one visible guard per route line. Each is a
 * `guard()`: what it answers is documented on every route it stands before.
 */
export interface Guards {
  /** Names the request's tenant (`/t/{tenant}` or `X-Tenant-ID`) and opens its database. */
  resolveTenant: Guard;
  /** An end user's access token for this tenant, with a live session. */
  requireUser: Guard;
  /** `requireUser` when an Authorization header is present. */
  optionalUser: Guard;
  /** A CP admin token (`owner` writes, `viewer` reads) on tenant-admin routes. */
  requireCpAdmin: (role: AdminActor['role']) => Guard;
  /** The same for platform routes (no tenant): only a grant on every tenant passes. */
  requirePlatformAdmin: (role: AdminActor['role']) => Guard;
  /** Spends the named per-tenant budgets (abuse/limit-table.ts). */
  limit: (...kinds: LimitKind[]) => Guard;
  /** After every tenant route: an unreachable tenant database answers 503 tenant_unavailable. */
  tenantUnavailable: Guard<ErrorRequestHandler>;
}

/** The feature modules whose endpoints this table mounts. */
export interface RoutedModules {
  auth: AuthModule;
  account: AccountModule;
  sessions: SessionsModule;
  consents: ConsentsModule;
  adminUsers: AdminUsersModule;
  adminOrganizations: AdminOrganizationsModule;
  adminSessions: AdminSessionsModule;
  roles: RolesModule;
  organizations: OrganizationsModule;
  oauth2: OAuth2Module;
  hostedLogin: HostedLoginModule;
  federation: FederationModule;
  emailVerification: EmailVerificationModule;
  passwordReset: PasswordResetModule;
  passwordless: PasswordlessModule;
  mfa: MfaModule;
  passkeys: PasskeysModule;
  userTransfer: UserTransferModule;
  deadLetters: DeadLettersModule;
}

/**
 * The data plane's route table. Every tenant route is served twice: under `/t/{tenant}` and at
 * the root with `X-Tenant-ID`; `resolveTenant` runs first either way, and `tenantUnavailable`
 * after, both mounted around the router (so declared as `mountedBehind`, for the document).
 */
export function routes(deps: { modules: RoutedModules; guards: Guards; keyring: Keyring }): {
  api: ApiRouter;
  oauth: ApiRouter;
  hosted: ApiRouter;
  ops: ApiRouter;
  tenantScoped: Router;
} {
  const auth = deps.modules.auth.endpoints;
  const me = deps.modules.account.endpoints;
  const sessions = deps.modules.sessions.endpoints;
  const consents = deps.modules.consents.endpoints;
  const identities = deps.modules.federation.identities;
  const adminUsers = deps.modules.adminUsers.endpoints;
  const adminOrgs = deps.modules.adminOrganizations.endpoints;
  const adminSessions = deps.modules.adminSessions.endpoints;
  const roles = deps.modules.roles.endpoints;
  const orgs = deps.modules.organizations.endpoints;
  const invitations = deps.modules.organizations.invitationEndpoints;
  const verification = deps.modules.emailVerification.endpoints;
  const reset = deps.modules.passwordReset.endpoints;
  const passwordless = deps.modules.passwordless.endpoints;
  const mfa = deps.modules.mfa.endpoints;
  const mfaSignIn = deps.modules.mfa.signInEndpoints;
  const mfaAdmin = deps.modules.mfa.adminEndpoints;
  const passkeys = deps.modules.passkeys.endpoints;
  const transfer = deps.modules.userTransfer.endpoints;
  const { requireUser: user, optionalUser, requireCpAdmin, resolveTenant } = deps.guards;
  const { tenantUnavailable } = deps.guards;
  // Budgets per tenant (abuse/limit-table.ts); 429 when spent, 503 when Redis cannot answer.
  const { limit } = deps.guards;

  const api = createApiRouter({
    mergeParams: true,
    mountedBehind: [resolveTenant, tenantUnavailable],
  })
    .post('/v1/auth/sign-up', limit('sign_up_ip', 'sign_up_account'), auth.signUp)
    .post('/v1/auth/sign-in', limit('sign_in_ip', 'sign_in_account'), auth.signIn)
    .post('/v1/auth/refresh', limit('refresh_ip', 'refresh_token'), auth.refresh)
    .post('/v1/auth/sign-out', optionalUser, auth.signOut)
    .post('/v1/auth/sign-out-all', user, auth.signOutAll)
    // Mail flows: every sending route spends per-address budgets (and per-account ones where the
    // body names the account); every spending route the one-time-token budget.
    .post(
      '/v1/auth/email/verify/send',
      limit('mail_send_ip'),
      user,
      limit('mail_send_user'),
      verification.send,
    )
    .post('/v1/auth/email/verify', limit('one_time_token_ip'), verification.verify)
    .post('/v1/auth/password/forgot', limit('mail_send_ip', 'mail_send_account'), reset.forgot)
    .post('/v1/auth/password/reset', limit('one_time_token_ip'), reset.reset)
    .post('/v1/auth/magic-link', limit('mail_send_ip', 'mail_send_account'), passwordless.magicLink)
    .post('/v1/auth/magic-link/verify', limit('one_time_token_ip'), passwordless.magicLinkVerify)
    .post('/v1/auth/email-otp', limit('mail_send_ip', 'mail_send_account'), passwordless.emailOtp)
    .post(
      '/v1/auth/email-otp/verify',
      limit('one_time_token_ip', 'email_otp_verify_account'),
      passwordless.emailOtpVerify,
    )
    // Passkeys (docs/mfa.md): each options call stores a challenge, so options spend a budget;
    // the email some clients send with sign-in options feeds only its per-account budget.
    .post(
      '/v1/auth/passkey/options',
      limit('passkey_options_ip', 'passkey_options_account'),
      passkeys.signInOptions,
    )
    .post('/v1/auth/passkey', limit('passkey_sign_in_ip'), passkeys.signIn)
    .post(
      '/v1/mfa/webauthn/registration/options',
      limit('passkey_options_ip'),
      user,
      passkeys.registrationOptions,
    )
    .post('/v1/mfa/webauthn/registration', user, passkeys.register)
    .patch('/v1/mfa/factors/:id', user, passkeys.renameFactor)
    // MFA (docs/mfa.md). Every code check also runs under the account lockout (features/mfa);
    // enrolment takes a bearer token or, under `mfa: required`, an enrolment-only mfa_token.
    .post('/v1/auth/mfa/challenge', limit('mail_send_ip', 'mfa_token'), mfaSignIn.challenge)
    .post('/v1/auth/mfa/verify', limit('sign_in_ip', 'mfa_token'), mfaSignIn.verify)
    .get('/v1/mfa/factors', user, mfa.listFactors)
    .delete('/v1/mfa/factors/:id', limit('sign_in_ip'), user, mfa.removeFactor)
    .post('/v1/mfa/recovery-codes', limit('sign_in_ip'), user, mfa.regenerateRecoveryCodes)
    .post('/v1/mfa/totp', limit('sign_in_ip', 'mfa_token'), optionalUser, mfa.enrolTotp)
    .post('/v1/mfa/totp/confirm', limit('sign_in_ip', 'mfa_token'), optionalUser, mfa.confirmTotp)
    .post('/v1/mfa/email', limit('mail_send_ip', 'mfa_token'), optionalUser, mfa.enrolEmail)
    .post('/v1/mfa/email/confirm', limit('sign_in_ip', 'mfa_token'), optionalUser, mfa.confirmEmail)
    .get('/v1/me', user, me.get)
    .patch('/v1/me', user, me.update)
    // Password checks outside sign-in share the per-IP sign-in budget (guessing with a stolen token).
    .post('/v1/me/password', limit('sign_in_ip'), user, me.changePassword)
    .delete('/v1/me', limit('sign_in_ip'), user, me.remove)
    .get('/v1/sessions', user, sessions.list)
    .delete('/v1/sessions/:id', user, sessions.remove)
    .get('/v1/me/identities', user, identities.listMine)
    .delete('/v1/me/identities/:id', limit('sign_in_ip'), user, identities.unlinkMine)
    .get('/v1/me/consents', user, consents.list)
    .delete('/v1/me/consents/:client_id', user, consents.remove)
    .get('/v1/admin/users', requireCpAdmin('viewer'), adminUsers.list)
    .post('/v1/admin/users', requireCpAdmin('owner'), adminUsers.create)
    // Bulk import and export (docs/migration.md), before `/:id` so these names are not user ids.
    .post('/v1/admin/users/import', requireCpAdmin('owner'), transfer.startImport)
    .get('/v1/admin/users/import/:job_id', requireCpAdmin('viewer'), transfer.importStatus)
    .get('/v1/admin/users/export', requireCpAdmin('owner'), transfer.exportUsers)
    .get('/v1/admin/users/:id', requireCpAdmin('viewer'), adminUsers.get)
    .patch('/v1/admin/users/:id', requireCpAdmin('owner'), adminUsers.update)
    .delete('/v1/admin/users/:id', requireCpAdmin('owner'), adminUsers.remove)
    .post('/v1/admin/users/:id/sign-out', requireCpAdmin('owner'), adminUsers.signOut)
    .get('/v1/admin/users/:id/consents', requireCpAdmin('viewer'), consents.adminList)
    .get('/v1/admin/users/:id/identities', requireCpAdmin('viewer'), identities.adminList)
    .get('/v1/admin/users/:id/mfa', requireCpAdmin('viewer'), mfaAdmin.get)
    .delete('/v1/admin/users/:id/mfa', requireCpAdmin('owner'), mfaAdmin.reset)
    .get('/v1/admin/users/:id/sessions', requireCpAdmin('viewer'), adminSessions.list)
    .delete(
      '/v1/admin/users/:id/sessions/:session_id',
      requireCpAdmin('owner'),
      adminSessions.revoke,
    )
    // Every organization of the tenant, for tenant admins (docs/organizations.md).
    .get('/v1/admin/organizations', requireCpAdmin('viewer'), adminOrgs.list)
    .post('/v1/admin/organizations', requireCpAdmin('owner'), adminOrgs.create)
    .get('/v1/admin/organizations/:org', requireCpAdmin('viewer'), adminOrgs.get)
    .patch('/v1/admin/organizations/:org', requireCpAdmin('owner'), adminOrgs.update)
    .delete('/v1/admin/organizations/:org', requireCpAdmin('owner'), adminOrgs.remove)
    .get('/v1/admin/organizations/:org/members', requireCpAdmin('viewer'), adminOrgs.members)
    .put(
      '/v1/admin/organizations/:org/members/:user_id',
      requireCpAdmin('owner'),
      adminOrgs.putMember,
    )
    .delete(
      '/v1/admin/organizations/:org/members/:user_id',
      requireCpAdmin('owner'),
      adminOrgs.removeMember,
    )
    .get(
      '/v1/admin/organizations/:org/invitations',
      requireCpAdmin('viewer'),
      adminOrgs.invitations,
    )
    .delete(
      '/v1/admin/organizations/:org/invitations/:id',
      requireCpAdmin('owner'),
      adminOrgs.revokeInvitation,
    )
    // Tenant RBAC (docs/organizations.md).
    .get('/v1/admin/roles', requireCpAdmin('viewer'), roles.list)
    .post('/v1/admin/roles', requireCpAdmin('owner'), roles.create)
    .get('/v1/admin/roles/:role', requireCpAdmin('viewer'), roles.get)
    .patch('/v1/admin/roles/:role', requireCpAdmin('owner'), roles.update)
    .delete('/v1/admin/roles/:role', requireCpAdmin('owner'), roles.remove)
    .put('/v1/admin/users/:id/roles/:role', requireCpAdmin('owner'), roles.assign)
    .delete('/v1/admin/users/:id/roles/:role', requireCpAdmin('owner'), roles.unassign)
    // Organizations (docs/organizations.md): members only; membership is read per request.
    .post('/v1/organizations', user, limit('organization_create_user'), orgs.create)
    .get('/v1/organizations', user, orgs.list)
    .get('/v1/organizations/:org', user, orgs.get)
    .patch('/v1/organizations/:org', user, orgs.update)
    .delete('/v1/organizations/:org', user, orgs.remove)
    .get('/v1/organizations/:org/members', user, orgs.members)
    .patch('/v1/organizations/:org/members/:user_id', user, orgs.updateMember)
    .delete('/v1/organizations/:org/members/:user_id', user, orgs.removeMember)
    .get('/v1/organizations/:org/roles', user, orgs.roles)
    .post('/v1/organizations/:org/roles', user, orgs.createRole)
    .patch('/v1/organizations/:org/roles/:role', user, orgs.updateRole)
    .delete('/v1/organizations/:org/roles/:role', user, orgs.removeRole)
    // Invitations mail a link: the per-address mail budget; accepting spends a one-time token.
    .post(
      '/v1/organizations/:org/invitations',
      limit('mail_send_ip'),
      user,
      limit('invitation_send_user'),
      invitations.create,
    )
    .get('/v1/organizations/:org/invitations', user, invitations.list)
    .delete('/v1/organizations/:org/invitations/:id', user, invitations.revoke)
    .post('/v1/invitations/accept', limit('one_time_token_ip'), user, invitations.accept);

  // OAuth 2.0 (docs/oidc.md): each tenant is an issuer, so under /t/{tenant} only, never with
  // X-Tenant-ID. resolveTenant stands on each line, after the route has made its errors RFC 6749's;
  // per-address budgets before the client authenticates, per-client ones after.
  const { token, introspect, revoke, userinfoGet, userinfoPost } = deps.modules.oauth2.endpoints;
  const client = deps.modules.oauth2.authenticateClient;
  const oauth = createApiRouter({ mergeParams: true, mountedBehind: [tenantUnavailable] })
    .post(
      '/t/:tenant/oauth2/token',
      resolveTenant,
      limit('oauth_token_ip'),
      client('any'),
      limit('oauth_token_client'),
      token,
    )
    .post(
      '/t/:tenant/oauth2/introspect',
      resolveTenant,
      limit('oauth_introspect_ip'),
      client('confidential'),
      limit('oauth_introspect_client'),
      introspect,
    )
    .post(
      '/t/:tenant/oauth2/revoke',
      resolveTenant,
      limit('oauth_revoke_ip'),
      client('any'),
      limit('oauth_revoke_client'),
      revoke,
    )
    .get('/t/:tenant/userinfo', resolveTenant, limit('oauth_userinfo_ip'), userinfoGet)
    .post('/t/:tenant/userinfo', resolveTenant, limit('oauth_userinfo_ip'), userinfoPost);
  oauth.router.use(oauthPathErrors);

  // The hosted login (features/hosted-login): HTML pages, under /t/{tenant} only like OAuth. Each
  // page's budget is per address; the credential forms spend the sign-in and sign-up budgets.
  const login = deps.modules.hostedLogin.endpoints;
  const federated = deps.modules.federation.endpoints;
  const hosted = createApiRouter({ mergeParams: true, mountedBehind: [tenantUnavailable] })
    .get('/t/:tenant/oauth2/authorize', resolveTenant, limit('hosted_page_ip'), login.authorize)
    .post(
      '/t/:tenant/oauth2/authorize',
      resolveTenant,
      limit('hosted_page_ip'),
      login.authorizePost,
    )
    .get('/t/:tenant/login', resolveTenant, limit('hosted_page_ip'), login.loginPage)
    .post('/t/:tenant/login', resolveTenant, limit('sign_in_ip', 'sign_in_account'), login.login)
    .get('/t/:tenant/login/sign-up', resolveTenant, limit('hosted_page_ip'), login.signUpPage)
    .post(
      '/t/:tenant/login/sign-up',
      resolveTenant,
      limit('sign_up_ip', 'sign_up_account'),
      login.signUp,
    )
    // Passkeys (docs/hosted-login.md): options store a challenge, so they spend the passkey
    // options budget; the answers spend the passkey sign-in or the sign-in budget.
    .post(
      '/t/:tenant/login/passkey/options',
      resolveTenant,
      limit('passkey_options_ip'),
      login.passkeySignInOptions,
    )
    .post(
      '/t/:tenant/login/passkey',
      resolveTenant,
      limit('passkey_sign_in_ip'),
      login.passkeySignIn,
    )
    .get(
      '/t/:tenant/login/passkey/enrol',
      resolveTenant,
      limit('hosted_page_ip'),
      login.passkeyEnrolPage,
    )
    .post(
      '/t/:tenant/login/passkey/enrol/options',
      resolveTenant,
      limit('passkey_options_ip'),
      login.passkeyEnrolOptions,
    )
    .post(
      '/t/:tenant/login/passkey/enrol',
      resolveTenant,
      limit('hosted_page_ip'),
      login.passkeyEnrol,
    )
    .post(
      '/t/:tenant/login/mfa/passkey/options',
      resolveTenant,
      limit('passkey_options_ip'),
      login.passkeyFactorOptions,
    )
    // The pages the mails link to: showing one costs a page view; posting it spends the mail
    // budgets (forgot) or the one-time-token budget (the links), as the JSON flows do.
    // Upstream identity providers (docs/federation.md): start, callback (GET, or form_post), link.
    .get(
      '/t/:tenant/login/federated/:id',
      resolveTenant,
      limit('hosted_page_ip'),
      federated.federatedStart,
    )
    .get(
      '/t/:tenant/login/federated/:id/callback',
      resolveTenant,
      limit('hosted_page_ip'),
      federated.federatedCallback,
    )
    .post(
      '/t/:tenant/login/federated/:id/callback',
      resolveTenant,
      limit('hosted_page_ip'),
      federated.federatedCallbackPost,
    )
    .post(
      '/t/:tenant/login/federated/:id/link',
      resolveTenant,
      limit('sign_in_ip', 'sign_in_account'),
      federated.federatedLink,
    )
    .get('/t/:tenant/login/forgot', resolveTenant, limit('hosted_page_ip'), login.forgotPage)
    .post(
      '/t/:tenant/login/forgot',
      resolveTenant,
      limit('mail_send_ip', 'mail_send_account'),
      login.forgot,
    )
    .get('/t/:tenant/login/reset', resolveTenant, limit('hosted_page_ip'), login.resetPage)
    .post('/t/:tenant/login/reset', resolveTenant, limit('one_time_token_ip'), login.reset)
    .get(
      '/t/:tenant/login/verify-email',
      resolveTenant,
      limit('hosted_page_ip'),
      login.verifyEmailPage,
    )
    .post(
      '/t/:tenant/login/verify-email',
      resolveTenant,
      limit('one_time_token_ip'),
      login.verifyEmail,
    )
    .get('/t/:tenant/login/magic', resolveTenant, limit('hosted_page_ip'), login.magicPage)
    .post('/t/:tenant/login/magic', resolveTenant, limit('one_time_token_ip'), login.magic)
    .get(
      '/t/:tenant/login/invitation',
      resolveTenant,
      limit('hosted_page_ip'),
      login.invitationPage,
    )
    .post(
      '/t/:tenant/login/invitation',
      resolveTenant,
      limit('one_time_token_ip'),
      login.acceptInvitation,
    )
    // The second factor (docs/mfa.md): a code check spends the sign-in budget, a mailed code the
    // mail budget; the per-token and account lockouts are the MFA core's.
    .get('/t/:tenant/login/mfa', resolveTenant, limit('hosted_page_ip'), login.mfaPage)
    .post('/t/:tenant/login/mfa', resolveTenant, limit('sign_in_ip'), login.mfaVerify)
    .post('/t/:tenant/login/mfa/email', resolveTenant, limit('mail_send_ip'), login.mfaSendEmail)
    .post(
      '/t/:tenant/login/mfa/continue',
      resolveTenant,
      limit('hosted_page_ip'),
      login.mfaContinue,
    )
    .get('/t/:tenant/login/mfa/enrol', resolveTenant, limit('hosted_page_ip'), login.mfaEnrolPage)
    .post('/t/:tenant/login/mfa/enrol', resolveTenant, limit('sign_in_ip'), login.mfaEnrol)
    .post(
      '/t/:tenant/login/mfa/enrol/email',
      resolveTenant,
      limit('mail_send_ip'),
      login.mfaEnrolEmail,
    )
    .get('/t/:tenant/login/consent', resolveTenant, limit('hosted_page_ip'), login.consentPage)
    .post('/t/:tenant/login/consent', resolveTenant, limit('hosted_page_ip'), login.consent)
    .get('/t/:tenant/oauth2/end-session', resolveTenant, limit('hosted_page_ip'), login.endSession)
    .post(
      '/t/:tenant/oauth2/end-session',
      resolveTenant,
      limit('hosted_page_ip'),
      login.endSessionPost,
    );

  // Platform operations (docs/operations.md): no tenant, so mounted before `/v1` resolves one.
  const { requirePlatformAdmin } = deps.guards;
  const deadLetters = deps.modules.deadLetters.endpoints;
  const ops = createApiRouter()
    .get('/v1/admin/ops/dead-letters', requirePlatformAdmin('viewer'), deadLetters.list)
    .post('/v1/admin/ops/dead-letters/replay', requirePlatformAdmin('owner'), deadLetters.replay);

  const tenantScoped = Router({ mergeParams: true });
  // Per-tenant discovery documents, under `/t/{tenant}` only (not in the OpenAPI document). First:
  // verifiers poll them, and each answer is precomputed, so walking the OAuth and hosted-page
  // routes before them was most of their cost beyond Node's HTTP itself (docs/benchmarks.md).
  tenantScoped.get('/t/:tenant/.well-known/jwks.json', resolveTenant, jwksRoute(deps.keyring));
  tenantScoped.get(
    '/t/:tenant/.well-known/openid-configuration',
    resolveTenant,
    openidConfiguration,
  );
  // The hosted pages' passkey scripts: static, immutable names, no tenant database needed.
  tenantScoped.get('/t/:tenant/login/assets/:file', servePasskeyAsset);
  tenantScoped.use(oauth.router);
  tenantScoped.use(hosted.router);
  // RFC 8414 §3: the well-known segment goes between the host and the issuer's path.
  tenantScoped.get(
    '/.well-known/oauth-authorization-server/t/:tenant',
    resolveTenant,
    authorizationServerMetadata,
  );
  tenantScoped.use('/t/:tenant', resolveTenant, api.router);
  tenantScoped.use(ops.router);
  tenantScoped.use('/v1', resolveTenant);
  tenantScoped.use(api.router);
  // After every tenant route: an unreachable tenant database answers 503 tenant_unavailable.
  tenantScoped.use(tenantUnavailable);
  return { api, oauth, hosted, ops, tenantScoped };
}
