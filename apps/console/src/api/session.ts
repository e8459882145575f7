import type { AdminMfaRequired, AdminSessionTokens } from '@hellojohn/sdk';
import { apiErrorOf } from './api-error';

/** Refresh this long before the access token expires, so no call races its expiry. */
const REFRESH_MARGIN_MS = 30_000;

type Listener = () => void;

/** Whether an operator is signed in, and why not when the session just ended. */
export interface SessionState {
  signedIn: boolean;
  /** Set when the session ended on its own (refresh refused): the sign-in page says so. */
  expired: boolean;
}

/**
 * The operator's CP admin session. Tokens live in this closure only: never in localStorage,
 * sessionStorage, a cookie readable by script or a URL (docs/console.md, "Security"). A reload
 * therefore signs the operator out, which is the price of keeping a stolen-XSS window small.
 */
export interface Session {
  state(): SessionState;
  subscribe(listener: Listener): () => void;
  /**
   * Signs in; an admin with an authenticator gets the second-factor challenge back instead (no
   * session yet): finish with `verifyMfa`.
   */
  signIn(email: string, password: string): Promise<AdminMfaRequired | undefined>;
  /** Completes a challenged sign-in with a TOTP or recovery code. */
  verifyMfa(mfaToken: string, code: string): Promise<void>;
  /** Accepts a CP admin invitation (the link's token) with the chosen password, and signs in. */
  acceptInvitation(token: string, password: string): Promise<void>;
  /** A valid access token (refreshed when about to expire), or undefined when signed out. */
  accessToken(): Promise<string | undefined>;
  /** Trades the refresh token for a new pair; false (and signed out, expired) when refused. */
  refresh(): Promise<boolean>;
  signOut(): Promise<void>;
}

interface Held {
  access: string;
  refresh: string;
  expiresAt: number;
}

async function readJson(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return body === '' ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return body;
  }
}

/**
 * A session against the control plane at `baseUrl` (its own origin in production).
 *
 * @example
 * const session = createSession({ baseUrl: location.origin });
 * await session.signIn(email, password);
 */
export function createSession(options: {
  baseUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
}): Session {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => Date.now());
  const listeners = new Set<Listener>();
  let held: Held | undefined;
  let state: SessionState = { signedIn: false, expired: false };
  let refreshing: Promise<boolean> | undefined;

  function set(next: Held | undefined, expired = false): void {
    held = next;
    state = { signedIn: next !== undefined, expired };
    for (const listener of listeners) listener();
  }

  function hold(tokens: AdminSessionTokens): Held {
    return {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      expiresAt: now() + tokens.expires_in * 1000,
    };
  }

  async function post(path: string, body: unknown, token?: string): Promise<Response> {
    return doFetch(`${options.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  }

  /** A POST that answers a session (or its challenge); failures throw ApiError. */
  async function open(path: string, body: unknown): Promise<unknown> {
    const response = await post(path, body);
    const answer = await readJson(response);
    if (!response.ok) {
      throw apiErrorOf(response.status, answer, response.headers.get('x-request-id'));
    }
    return answer;
  }

  async function doRefresh(): Promise<boolean> {
    const current = held;
    if (!current) return false;
    try {
      const response = await post('/v1/auth/refresh', { refresh_token: current.refresh });
      if (!response.ok) {
        set(undefined, true);
        return false;
      }
      set(hold((await readJson(response)) as AdminSessionTokens));
      return true;
    } catch {
      // The network, not the session, failed: keep it, the next call tries again.
      return false;
    }
  }

  const session: Session = {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async signIn(email, password) {
      const body = await open('/v1/auth/sign-in', { email, password });
      // Checked here rather than with the SDK's isAdminMfaRequired: the console bundles no SDK code.
      if (typeof body === 'object' && body !== null && 'mfa_required' in body) {
        return body as AdminMfaRequired;
      }
      set(hold(body as AdminSessionTokens));
      return undefined;
    },
    async verifyMfa(mfaToken, code) {
      set(
        hold(
          (await open('/v1/auth/mfa/verify', { mfa_token: mfaToken, code })) as AdminSessionTokens,
        ),
      );
    },
    async acceptInvitation(token, password) {
      set(
        hold(
          (await open('/v1/auth/invitations/accept', { token, password })) as AdminSessionTokens,
        ),
      );
    },
    async accessToken() {
      if (!held) return undefined;
      if (held.expiresAt - now() < REFRESH_MARGIN_MS) await session.refresh();
      // `held` is replaced or cleared by the refresh above; narrowing cannot see that.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      return held?.access;
    },
    refresh() {
      // One refresh at a time: a refresh token is spent on use, so two would end the session.
      refreshing ??= doRefresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    async signOut() {
      const current = held;
      set(undefined);
      if (!current) return;
      // Best effort: the tokens are already forgotten here, whatever the server says.
      await post('/v1/auth/sign-out', { refresh_token: current.refresh }, current.access).catch(
        () => undefined,
      );
    },
  };
  return session;
}
