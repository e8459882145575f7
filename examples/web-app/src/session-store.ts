import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** A sign-in this browser started and has not finished: what the callback must check. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A local path to go back to after signing in. */
  returnTo: string;
}

/** What the app keeps about a signed-in user. Tokens never leave the server. */
export interface SignedIn {
  sub: string;
  /** For display: the best of name, email and sub, from the UserInfo endpoint. */
  displayName: string;
  email: string | undefined;
  accessToken: string;
  /** Epoch milliseconds; the token is refreshed a little before. */
  accessTokenExpiresAt: number;
  refreshToken: string | undefined;
  /** The latest ID token, sent back as `id_token_hint` when signing out. */
  idToken: string;
}

export interface Session {
  pending?: PendingSignIn;
  user?: SignedIn;
  /** A refresh in flight, shared so two requests never spend the same refresh token twice. */
  refreshing?: Promise<SignedIn | undefined>;
}

const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;

interface Entry {
  session: Session;
  lastSeen: number;
}

/**
 * Sessions in a `Map`, keyed by a random cookie value. Good for an example and for one process;
 * a real deployment with several instances (or restarts) keeps them in Redis or a database.
 * The cookie carries only the random id (32 bytes), never a token.
 */
export class SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #cookieName: string;
  readonly #secure: boolean;
  #lastSweep = 0;

  /** `secure`: the app is served over https, so the cookie gets `Secure` and `__Host-`. */
  constructor(secure: boolean) {
    this.#secure = secure;
    // `__Host-` pins the cookie to this exact origin and path `/`; browsers allow it only Secure.
    this.#cookieName = secure ? '__Host-web_app_session' : 'web_app_session';
  }

  /** The session the request's cookie names, if it is live. */
  find(req: Request): Session | undefined {
    const id = readCookie(req, this.#cookieName);
    if (!id) return undefined;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.lastSeen > IDLE_TIMEOUT_MS) {
      this.#entries.delete(id);
      return undefined;
    }
    entry.lastSeen = now;
    return entry.session;
  }

  /** The request's session, or a new one with its cookie set on `res`. */
  findOrCreate(req: Request, res: Response): Session {
    return this.find(req) ?? this.create(res);
  }

  /** A new session under a new random id, and its cookie. */
  create(res: Response, session: Session = {}): Session {
    this.#sweep();
    const id = randomBytes(32).toString('base64url');
    this.#entries.set(id, { session, lastSeen: Date.now() });
    res.cookie(this.#cookieName, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#secure,
      path: '/',
      maxAge: IDLE_TIMEOUT_MS,
    });
    return session;
  }

  /**
   * Replaces the request's session by `session` under a new id. Done on every sign-in, so an id
   * planted in the browser beforehand never becomes a signed-in session (session fixation).
   */
  regenerate(req: Request, res: Response, session: Session): Session {
    const id = readCookie(req, this.#cookieName);
    if (id) this.#entries.delete(id);
    return this.create(res, session);
  }

  /** Forgets the request's session and clears its cookie. */
  destroy(req: Request, res: Response): void {
    const id = readCookie(req, this.#cookieName);
    if (id) this.#entries.delete(id);
    res.clearCookie(this.#cookieName, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#secure,
      path: '/',
    });
  }

  /** Drops idle sessions, at most once a minute so creating a session stays cheap. */
  #sweep(): void {
    const now = Date.now();
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    const cutoff = now - IDLE_TIMEOUT_MS;
    for (const [id, entry] of this.#entries) {
      if (entry.lastSeen < cutoff) this.#entries.delete(id);
    }
  }
}

/** One cookie's value from the `Cookie` header (RFC 6265 §5.4), without a parser dependency. */
function readCookie(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
