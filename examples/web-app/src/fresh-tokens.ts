import * as oidc from 'openid-client';
import type { Session, SignedIn } from './session-store';

/** Refresh this long before the access token expires, so it never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the token response has no `expires_in`, assume a short life rather than a long one. */
const UNKNOWN_LIFETIME_S = 60;

/** When an access token from `tokens` stops working, in epoch milliseconds. */
export function expiresAt(tokens: oidc.TokenEndpointResponseHelpers): number {
  return Date.now() + (tokens.expiresIn() ?? UNKNOWN_LIFETIME_S) * 1000;
}

/**
 * The signed-in user with an access token good for a while yet: the stored one, or a new one from
 * the refresh token. `undefined` when nobody is signed in any more, because there was no refresh
 * token or HelloJohn refused it (the user signed out elsewhere, was disabled, or the session
 * expired); the session then forgets the user.
 *
 * HelloJohn rotates refresh tokens and treats a reused one as theft, revoking the whole session.
 * Two requests of one browser that find the token expired at once must therefore share one
 * refresh rather than each spending the same refresh token.
 */
export async function freshUser(
  session: Session,
  provider: oidc.Configuration,
): Promise<SignedIn | undefined> {
  const user = session.user;
  if (!user) return undefined;
  if (Date.now() < user.accessTokenExpiresAt - EXPIRY_MARGIN_MS) return user;
  if (!user.refreshToken) {
    delete session.user;
    return undefined;
  }
  session.refreshing ??= refresh(session, user, user.refreshToken, provider).finally(() => {
    delete session.refreshing;
  });
  return session.refreshing;
}

async function refresh(
  session: Session,
  user: SignedIn,
  refreshToken: string,
  provider: oidc.Configuration,
): Promise<SignedIn | undefined> {
  let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
  try {
    tokens = await oidc.refreshTokenGrant(provider, refreshToken);
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
      delete session.user;
      return undefined;
    }
    throw error;
  }
  // A new ID token must be about the same person (OIDC Core §12.2).
  const claims = tokens.claims();
  if (claims && claims.sub !== user.sub)
    throw new Error('the refreshed ID token names another user');
  const next: SignedIn = {
    ...user,
    accessToken: tokens.access_token,
    accessTokenExpiresAt: expiresAt(tokens),
    // Rotation: the old refresh token is spent; keep it only if the server sent no new one.
    refreshToken: tokens.refresh_token ?? refreshToken,
    idToken: tokens.id_token ?? user.idToken,
  };
  session.user = next;
  return next;
}
