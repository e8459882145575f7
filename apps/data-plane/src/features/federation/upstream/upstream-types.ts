/** Who the provider says signed in, after the attribute mapping. */
export interface UpstreamProfile {
  /** The upstream `sub` (GitHub: the numeric user id). */
  subject: string;
  email: string | null;
  /** Only a provider's explicit `email_verified: true` (GitHub: a verified primary address). */
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
}

/** The provider's tokens, kept (sealed) only when the provider's `store_upstream_tokens` is on. */
export interface UpstreamTokens {
  access_token: string;
  token_type?: string | undefined;
  refresh_token?: string | undefined;
  id_token?: string | undefined;
  expires_in?: number | undefined;
  scope?: string | undefined;
}

/** The secrets of one round trip, kept server-side between the redirect and the callback. */
export interface RoundTripChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** The provider's answer did not sign anyone in: why, for the log and the page. */
export class UpstreamError extends Error {
  constructor(
    readonly reason: 'denied' | 'failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
