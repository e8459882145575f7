import type {
  ChangePasswordInput,
  DeleteMeInput,
  Jwks,
  SessionList,
  SessionsQuery,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
  TokenPair,
  UpdateMeInput,
  User,
} from './data-plane-types';
import { createHttpClient, seg } from './http-client';

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
    /** Spends `refreshToken` and returns the next pair. */
    refresh: (refreshToken: string) =>
      send<TokenPair>({
        method: 'POST',
        path: '/v1/auth/refresh',
        body: { refresh_token: refreshToken },
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
    jwks: () => send<Jwks>({ method: 'GET', path: '/.well-known/jwks.json' }),
  };
}

export type DataPlaneClient = ReturnType<typeof createDataPlaneClient>;
