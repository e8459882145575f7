import { createControlPlaneClient } from '@hellojohn/sdk';

interface Session {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Renew a signed-in admin token this long before it expires. */
const RENEW_MARGIN_MS = 60_000;

/**
 * The stdio server's credential: HJ_MCP_TOKEN as given, or a session signed in with
 * HJ_MCP_EMAIL/HJ_MCP_PASSWORD and renewed with its refresh token before the access token
 * expires (signing in again if the refresh token is refused).
 */
export function credentialSource(options: {
  cpUrl: string;
  fetch: typeof fetch;
  token?: string;
  email?: string;
  password?: string;
  now?: () => number;
}): () => Promise<string> {
  const fixed = options.token;
  if (fixed !== undefined) return () => Promise.resolve(fixed);
  const { email, password } = options;
  if (email === undefined || password === undefined) {
    throw new Error('no credential: HJ_MCP_TOKEN or HJ_MCP_EMAIL and HJ_MCP_PASSWORD');
  }
  const now = options.now ?? Date.now;
  const anon = createControlPlaneClient({ baseUrl: options.cpUrl, fetch: options.fetch });
  let session: { access: string; refresh: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  /** A password sign-in; an admin with a second factor cannot sign in unattended. */
  async function signIn(): Promise<Session> {
    const answer = await anon.auth.signIn({ email: email ?? '', password: password ?? '' });
    if (!('access_token' in answer)) {
      throw new Error(
        'this admin signs in with a second factor: give the MCP server an API key (HJ_MCP_TOKEN)',
      );
    }
    return answer;
  }

  async function renew(): Promise<string> {
    let answer: Session;
    try {
      answer = session ? await anon.auth.refresh(session.refresh) : await signIn();
    } catch (error) {
      if (!session) throw error;
      session = undefined;
      answer = await signIn();
    }
    session = {
      access: answer.access_token,
      refresh: answer.refresh_token,
      expiresAt: now() + answer.expires_in * 1000,
    };
    return session.access;
  }

  return () => {
    if (session && session.expiresAt - RENEW_MARGIN_MS > now()) {
      return Promise.resolve(session.access);
    }
    // One renewal at a time: concurrent tool calls share it (a refresh token is spent once).
    pending ??= renew().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
