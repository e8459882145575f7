import type {
  AdminMfaFactorList,
  AdminUser,
  AdminUserConsents,
  AdminUserList,
  AdminUsersQuery,
  ChangePasswordInput,
  CreateAdminUserInput,
  DeleteMeInput,
  EmailFactorConfirmInput,
  EmailFactorEnrolInput,
  EmailFactorEnrolment,
  Jwks,
  MfaChallengeInput,
  MfaChallengeResult,
  MfaEnrolmentConfirmed,
  MfaFactorList,
  MfaProof,
  MfaVerifyInput,
  RecoveryCodeSet,
  SessionList,
  SessionsQuery,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
  TokenPair,
  TotpConfirmInput,
  TotpEnrolInput,
  TotpEnrolment,
  UpdateAdminUserInput,
  UpdateMeInput,
  User,
} from './data-plane-types';
import { adminOrganizationsApi, adminUserSessionsApi } from './admin-organizations-client';
import { createHttpClient, seg } from './http-client';
import { adminRolesApi, organizationsApi } from './organizations-client';
import type { PageQuery } from './page';
import { userTransferApi } from './user-transfer-client';

export interface DataPlaneClientOptions {
  /** The data plane's public URL, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** Tenant slug or id; every call goes to `/t/{tenant}/...`. */
  tenant: string;
  fetch?: typeof fetch;
}

/**
 * A typed client for one tenant on the data plane (docs/api.md). Calls that act as a user take
 * that user's access token; failed calls throw `HelloJohnApiError`.
 *
 * @example
 * ```ts
 * const dp = createDataPlaneClient({ baseUrl: 'http://localhost:8080', tenant: 'acme' });
 * const { access_token, refresh_token } = await dp.signUp({ email, password });
 * const me = await dp.me.get(access_token);
 * const next = await dp.refresh(refresh_token);
 * ```
 */
export function createDataPlaneClient(options: DataPlaneClientOptions) {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/t/${seg(options.tenant)}`;
  const send = createHttpClient({
    baseUrl: base,
    ...(options.fetch && { fetch: options.fetch }),
  });

  return {
    /** The tenant's issuer as this client names it (the `iss` of its tokens when named by slug). */
    issuer: base,
    signUp: (body: SignUpInput) =>
      send<SignUpResult>({ method: 'POST', path: '/v1/auth/sign-up', body }),
    signIn: (body: SignInInput) =>
      send<SignInResult>({ method: 'POST', path: '/v1/auth/sign-in', body }),
    /**
     * Spends `refreshToken` and returns the next pair. `options.organizationId` switches the
     * session's active organization (null: none), docs/organizations.md.
     */
    refresh: (refreshToken: string, options: { organizationId?: string | null } = {}) =>
      send<TokenPair>({
        method: 'POST',
        path: '/v1/auth/refresh',
        body: {
          refresh_token: refreshToken,
          ...(options.organizationId !== undefined && { organization_id: options.organizationId }),
        },
      }),
    /** Ends one session, named by its access token or by a refresh token of it. */
    signOut: (by: { accessToken: string } | { refreshToken: string }) =>
      'accessToken' in by
        ? send<undefined>({ method: 'POST', path: '/v1/auth/sign-out', token: by.accessToken })
        : send<undefined>({
            method: 'POST',
            path: '/v1/auth/sign-out',
            body: { refresh_token: by.refreshToken },
          }),
    /** Ends every session of the token's user. */
    signOutAll: (accessToken: string) =>
      send<undefined>({ method: 'POST', path: '/v1/auth/sign-out-all', token: accessToken }),
    me: {
      get: (accessToken: string) =>
        send<User>({ method: 'GET', path: '/v1/me', token: accessToken }),
      update: (accessToken: string, body: UpdateMeInput) =>
        send<User>({ method: 'PATCH', path: '/v1/me', token: accessToken, body }),
      /** Needs the current password; ends the user's other sessions. */
      changePassword: (accessToken: string, body: ChangePasswordInput) =>
        send<undefined>({ method: 'POST', path: '/v1/me/password', token: accessToken, body }),
      delete: (accessToken: string, body: DeleteMeInput) =>
        send<undefined>({ method: 'DELETE', path: '/v1/me', token: accessToken, body }),
    },
    sessions: {
      /** A page of the token's user's active sessions (`query.cursor` from `next_cursor`). */
      list: (accessToken: string, query?: SessionsQuery) =>
        send<SessionList>({
          method: 'GET',
          path: '/v1/sessions',
          token: accessToken,
          query: { ...query },
        }),
      revoke: (accessToken: string, id: string) =>
        send<undefined>({ method: 'DELETE', path: `/v1/sessions/${seg(id)}`, token: accessToken }),
    },
    /**
     * Multi-factor authentication (docs/mfa.md). Enrolment calls take the user's access token, or
     * `undefined` with `mfa_token` in the body (a sign-in under `mfa: required` by a user with no
     * factor).
     */
    mfa: {
      /** Completes a sign-in that answered `mfa_required`; the same token pair as sign-in. */
      verify: (body: MfaVerifyInput) =>
        send<TokenPair>({ method: 'POST', path: '/v1/auth/mfa/verify', body }),
      /** `email_otp`: mails a code (202); `webauthn`: passkey request options. */
      challenge: (body: MfaChallengeInput) =>
        send<MfaChallengeResult>({ method: 'POST', path: '/v1/auth/mfa/challenge', body }),
      listFactors: (accessToken: string) =>
        send<MfaFactorList>({ method: 'GET', path: '/v1/mfa/factors', token: accessToken }),
      /** Needs `{password}` or a current `{code}`. */
      removeFactor: (accessToken: string, id: string, proof: MfaProof) =>
        send<undefined>({
          method: 'DELETE',
          path: `/v1/mfa/factors/${seg(id)}`,
          token: accessToken,
          body: proof,
        }),
      /** A fresh set of 10; the old codes die. Needs `{password}` or a current `{code}`. */
      regenerateRecoveryCodes: (accessToken: string, proof: MfaProof) =>
        send<RecoveryCodeSet>({
          method: 'POST',
          path: '/v1/mfa/recovery-codes',
          token: accessToken,
          body: proof,
        }),
      enrolTotp: (accessToken: string | undefined, body: TotpEnrolInput = {}) =>
        send<TotpEnrolment>({
          method: 'POST',
          path: '/v1/mfa/totp',
          ...(accessToken === undefined ? {} : { token: accessToken }),
          body,
        }),
      confirmTotp: (accessToken: string | undefined, body: TotpConfirmInput) =>
        send<MfaEnrolmentConfirmed>({
          method: 'POST',
          path: '/v1/mfa/totp/confirm',
          ...(accessToken === undefined ? {} : { token: accessToken }),
          body,
        }),
      enrolEmail: (accessToken: string | undefined, body: EmailFactorEnrolInput = {}) =>
        send<EmailFactorEnrolment>({
          method: 'POST',
          path: '/v1/mfa/email',
          ...(accessToken === undefined ? {} : { token: accessToken }),
          body,
        }),
      confirmEmail: (accessToken: string | undefined, body: EmailFactorConfirmInput) =>
        send<MfaEnrolmentConfirmed>({
          method: 'POST',
          path: '/v1/mfa/email/confirm',
          ...(accessToken === undefined ? {} : { token: accessToken }),
          body,
        }),
    },
    /** Organizations, members, their roles and invitations (docs/organizations.md). */
    organizations: organizationsApi(send),
    /** Tenant-admin calls: `adminToken` is a CP admin token. */
    admin: {
      /** Tenant RBAC: roles and who holds them (docs/organizations.md). */
      roles: adminRolesApi(send),
      /** Every organization of the tenant, its members and invitations (docs/organizations.md). */
      organizations: adminOrganizationsApi(send),
      users: {
        /** A user's live sessions: list them, end one. */
        sessions: adminUserSessionsApi(send),
        /** Bulk import (a background job) and export, JSON Lines (docs/migration.md). */
        ...userTransferApi(base, send, options.fetch ?? globalThis.fetch),
        list: (adminToken: string, query?: AdminUsersQuery) =>
          send<AdminUserList>({
            method: 'GET',
            path: '/v1/admin/users',
            token: adminToken,
            query: { ...query },
          }),
        create: (adminToken: string, body: CreateAdminUserInput) =>
          send<AdminUser>({ method: 'POST', path: '/v1/admin/users', token: adminToken, body }),
        get: (adminToken: string, userId: string) =>
          send<AdminUser>({
            method: 'GET',
            path: `/v1/admin/users/${seg(userId)}`,
            token: adminToken,
          }),
        /** Name, metadata, or `disabled` (which also ends every session of the user). */
        update: (adminToken: string, userId: string, body: UpdateAdminUserInput) =>
          send<AdminUser>({
            method: 'PATCH',
            path: `/v1/admin/users/${seg(userId)}`,
            token: adminToken,
            body,
          }),
        delete: (adminToken: string, userId: string) =>
          send<undefined>({
            method: 'DELETE',
            path: `/v1/admin/users/${seg(userId)}`,
            token: adminToken,
          }),
        /** Ends every session of the user (their refresh tokens stop working). */
        signOut: (adminToken: string, userId: string) =>
          send<undefined>({
            method: 'POST',
            path: `/v1/admin/users/${seg(userId)}/sign-out`,
            token: adminToken,
          }),
        /** One page of the OAuth clients the user has consented to. */
        consents: (adminToken: string, userId: string, query?: PageQuery) =>
          send<AdminUserConsents>({
            method: 'GET',
            path: `/v1/admin/users/${seg(userId)}/consents`,
            token: adminToken,
            query: { ...query },
          }),
        mfa: {
          get: (adminToken: string, userId: string) =>
            send<AdminMfaFactorList>({
              method: 'GET',
              path: `/v1/admin/users/${seg(userId)}/mfa`,
              token: adminToken,
            }),
          /** Deletes every factor and recovery code of the user. */
          reset: (adminToken: string, userId: string) =>
            send<undefined>({
              method: 'DELETE',
              path: `/v1/admin/users/${seg(userId)}/mfa`,
              token: adminToken,
            }),
        },
      },
    },
    jwks: () => send<Jwks>({ method: 'GET', path: '/.well-known/jwks.json' }),
  };
}

export type DataPlaneClient = ReturnType<typeof createDataPlaneClient>;
