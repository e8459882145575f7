import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { LoginTransactionRow, SessionRow, StoredAuthorizationRequest } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { PasswordAuthenticator, PasswordCheck } from '../../credentials/authenticate-password';
import type { ClientDirectory, OAuthClient } from '../../oauth2/client-directory';
import type { TenantContext } from '../../tenancy/tenant-context';
import {
  checkAuthorizationRequest,
  hasPrompt,
  param,
  responseModeOf,
  type AuthorizeParams,
} from './authorization-request';
import { authorizationResponse, type AuthorizationResponse } from './authorization-response';
import { matchesRedirectUri } from './redirect-uri';

const TRANSACTION_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 60_000;

const sha256hex = (value: string) => createHash('sha256').update(value).digest('hex');
/** 256 bits, base64url: login transaction handles, browser session handles, codes. */
const newHandle = () => randomBytes(32).toString('base64url');

/** A live login transaction with the client it is for. */
export interface Interaction {
  tx: LoginTransactionRow;
  /** The opaque handle the pages carry (`?tx=`, hidden `tx`). */
  handle: string;
  client: OAuthClient;
}

/** Where the browser goes next. */
export type Next =
  | { kind: 'login'; handle: string }
  | { kind: 'consent'; handle: string }
  | { kind: 'respond'; response: AuthorizationResponse };

/** A browser session the cookie named, or one just started (`handle` then is the new cookie). */
export interface BrowserSession {
  row: SessionRow;
  /** Set when the cookie must change (new session, or a re-authentication rotated it). */
  newHandle?: string;
}

export interface HostedLoginService {
  /**
   * `/authorize`: the checks of RFC 6749 §4.1.2.1 in order. Unknown client, missing or
   * unregistered redirect_uri throw 400 (a page, never a redirect); every later error is a
   * `respond` to the redirect URI. A good request is stored as a login transaction.
   */
  authorize(
    tenant: TenantContext,
    params: AuthorizeParams,
    session: SessionRow | undefined,
  ): Promise<Next>;
  /** The live transaction a page's `tx` names, with its client; undefined when gone. */
  interaction(tenant: TenantContext, handle: string): Promise<Interaction | undefined>;
  /** The live browser session a cookie names. */
  browserSession(
    tenant: TenantContext,
    handle: string | undefined,
  ): Promise<SessionRow | undefined>;
  /** What follows for a transaction, given the browser's session (after each step). */
  next(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow | undefined,
  ): Promise<Next>;
  /**
   * The sign-in form: the rules of `POST /v1/auth/sign-in` (one shared check), then a new
   * browser session, or the current one re-authenticated when it is the same user's.
   */
  signIn(
    tenant: TenantContext,
    input: { email: string; password: string; current: SessionRow | undefined },
    meta: RequestMeta,
  ): Promise<{ ok: true; session: BrowserSession } | Extract<PasswordCheck, { ok: false }>>;
  /** Starts a browser session for a user who just authenticated (sign-in or sign-up). */
  startBrowserSession(
    tenant: TenantContext,
    userId: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<BrowserSession>;
  /** The consent page's answer: remember it and issue the code, or `access_denied`. */
  consent(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow,
    allow: boolean,
    meta: RequestMeta,
  ): Promise<Next>;
  /** Whether a transaction's login step is done by this session (prompt=login, max_age). */
  loginSatisfied(interaction: Interaction, session: SessionRow | undefined): boolean;
}

export function createHostedLoginService(deps: {
  clients: ClientDirectory;
  passwords: PasswordAuthenticator;
}): HostedLoginService {
  const { clients } = deps;

  function loginSatisfied(
    request: StoredAuthorizationRequest,
    txCreatedAt: Date,
    session: SessionRow | undefined,
    now: Date,
  ): boolean {
    if (!session) return false;
    // Authenticated during this transaction: prompt=login and max_age are answered.
    if (session.authTime.getTime() >= txCreatedAt.getTime()) return true;
    if (hasPrompt(request.prompt, 'login')) return false;
    if (request.max_age !== null) {
      return now.getTime() - session.authTime.getTime() <= request.max_age * 1000;
    }
    return true;
  }

  async function consentNeeded(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow,
  ): Promise<boolean> {
    const { client, tx } = interaction;
    if (client.first_party) return false;
    if (hasPrompt(tx.request.prompt, 'consent')) return true;
    const consent = await tenant.db.consents.find(session.userId, client.client_id);
    if (!consent) return true;
    const granted = tx.request.scope.split(' ').filter((s) => s !== '');
    return !granted.every((scope) => consent.scopes.includes(scope));
  }

  function refuse(
    tenant: TenantContext,
    interaction: Interaction,
    error: string,
    description: string,
  ): Next {
    return {
      kind: 'respond',
      response: authorizationResponse(tenant.config.issuer, interaction.tx.request, {
        error,
        error_description: description,
      }),
    };
  }

  async function issueCode(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow,
  ): Promise<Next> {
    const { tx, client } = interaction;
    const now = new Date();
    // Once per transaction: a form posted twice, or two tabs, get one code between them.
    if (!(await tenant.db.loginTransactions.complete(tx.id, now))) throw expired();
    const code = newHandle();
    await tenant.db.authorizationCodes.create({
      codeHash: sha256hex(code),
      clientId: client.client_id,
      userId: session.userId,
      sessionId: session.id,
      redirectUri: tx.request.redirect_uri,
      scope: tx.request.scope,
      nonce: tx.request.nonce,
      codeChallenge: tx.request.code_challenge,
      codeChallengeMethod: tx.request.code_challenge === null ? null : 'S256',
      authTime: session.authTime,
      amr: session.amr,
      acr: session.acr,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    await tenant.db.browserSessions.touch(session.id, now);
    return {
      kind: 'respond',
      response: authorizationResponse(tenant.config.issuer, tx.request, { code }),
    };
  }

  async function next(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow | undefined,
  ): Promise<Next> {
    const { tx } = interaction;
    const silent = hasPrompt(tx.request.prompt, 'none');
    if (!session || !loginSatisfied(tx.request, tx.createdAt, session, new Date())) {
      // OIDC Core §3.1.2.6: prompt=none never shows a page.
      if (silent)
        return refuse(tenant, interaction, 'login_required', 'The user is not signed in.');
      return { kind: 'login', handle: interaction.handle };
    }
    if (await consentNeeded(tenant, interaction, session)) {
      if (silent) {
        return refuse(tenant, interaction, 'consent_required', 'The user has not consented.');
      }
      return { kind: 'consent', handle: interaction.handle };
    }
    return issueCode(tenant, interaction, session);
  }

  async function startBrowserSession(
    tenant: TenantContext,
    userId: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
  ): Promise<BrowserSession> {
    const now = new Date();
    const handle = newHandle();
    const auth = { handleHash: sha256hex(handle), authTime: now, amr: ['pwd'], acr: null };
    if (current?.userId === userId) {
      // The same user again (prompt=login, max_age): a fresh auth_time, a new cookie, the same
      // session, so the apps signed in through it stay signed in.
      if (await tenant.db.browserSessions.reauthenticate(current.id, now, auth)) {
        const row = await tenant.db.sessions.findById(current.id);
        if (row) return { row, newHandle: handle };
      }
    } else if (current) {
      // Another account signs in in this browser: the previous one is signed out of it.
      await tenant.db.browserSessions.revoke(current.id, 'replaced_by_sign_in');
    }
    const row = await tenant.db.browserSessions.create({
      id: randomUUID(),
      userId,
      ...auth,
      expiresAt: new Date(now.getTime() + tenant.policy.refreshTokenTtlSeconds * 1000),
      userAgent: meta.userAgent ?? null,
      ip: meta.ip ?? null,
    });
    return { row, newHandle: handle };
  }

  return {
    async authorize(tenant, params, session) {
      let clientId: string | undefined;
      let redirectUri: string | undefined;
      try {
        clientId = param(params, 'client_id');
        redirectUri = param(params, 'redirect_uri');
      } catch {
        throw new AppError('validation_failed', 'client_id and redirect_uri must be sent once.');
      }
      const client =
        clientId === undefined ? undefined : await clients.resolve(tenant.config.id, clientId);
      // RFC 6749 §4.1.2.1: never redirect to a URI not proven to be the client's.
      if (!client) throw new AppError('validation_failed', 'The client_id is not a known client.');
      if (redirectUri === undefined)
        throw new AppError('validation_failed', 'redirect_uri is missing.');
      if (!matchesRedirectUri(client.redirect_uris, redirectUri)) {
        throw new AppError(
          'validation_failed',
          'The redirect_uri is not registered for this client.',
        );
      }
      const checked = checkAuthorizationRequest(client, redirectUri, params);
      if (!checked.ok) {
        const state = params['state'];
        return {
          kind: 'respond',
          response: authorizationResponse(
            tenant.config.issuer,
            {
              redirect_uri: redirectUri,
              state: typeof state === 'string' && state !== '' ? state.slice(0, 2048) : null,
              response_mode: responseModeOf(params),
            },
            { error: checked.refused.error, error_description: checked.refused.description },
          ),
        };
      }
      const handle = newHandle();
      const tx = await tenant.db.loginTransactions.create({
        handleHash: sha256hex(handle),
        clientId: client.client_id,
        request: checked.request,
        expiresAt: new Date(Date.now() + TRANSACTION_TTL_MS),
      });
      return next(tenant, { tx, handle, client }, session);
    },

    async interaction(tenant, handle) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(handle)) return undefined;
      const tx = await tenant.db.loginTransactions.findLiveByHandleHash(
        sha256hex(handle),
        new Date(),
      );
      if (!tx) return undefined;
      const client = await clients.resolve(tenant.config.id, tx.clientId);
      // The client was deleted meanwhile, or its redirect URI removed: nowhere safe to answer.
      if (!client || !matchesRedirectUri(client.redirect_uris, tx.request.redirect_uri)) {
        return undefined;
      }
      return { tx, handle, client };
    },

    async browserSession(tenant, handle) {
      if (handle === undefined) return undefined;
      return tenant.db.browserSessions.findLiveByHandleHash(sha256hex(handle), new Date());
    },

    next,
    startBrowserSession,

    async signIn(tenant, input, meta) {
      const checked = await deps.passwords.check(tenant, input.email, input.password, meta);
      if (!checked.ok) return checked;
      const session = await startBrowserSession(tenant, checked.user.id, input.current, meta);
      await audit(tenant.db, meta, {
        action: 'user.signed_in',
        outcome: 'success',
        userId: checked.user.id,
        details: { method: 'hosted_login', session_id: session.row.id },
      });
      return { ok: true, session };
    },

    async consent(tenant, interaction, session, allow, meta) {
      const scopes = interaction.tx.request.scope.split(' ').filter((s) => s !== '');
      if (!allow) {
        if (!(await tenant.db.loginTransactions.complete(interaction.tx.id, new Date()))) {
          throw expired();
        }
        await audit(tenant.db, meta, {
          action: 'consent.denied',
          outcome: 'success',
          userId: session.userId,
          details: { client_id: interaction.client.client_id, scope: scopes.join(' ') },
        });
        return refuse(tenant, interaction, 'access_denied', 'The user denied the request.');
      }
      await tenant.db.consents.grant(session.userId, interaction.client.client_id, scopes);
      await audit(tenant.db, meta, {
        action: 'consent.granted',
        outcome: 'success',
        userId: session.userId,
        details: { client_id: interaction.client.client_id, scope: scopes.join(' ') },
      });
      return issueCode(tenant, interaction, session);
    },

    loginSatisfied: (interaction, session) =>
      loginSatisfied(interaction.tx.request, interaction.tx.createdAt, session, new Date()),
  };
}

/** The transaction was completed (or expired) meanwhile: the routes show the expired page. */
export class TransactionGone extends Error {
  constructor() {
    super('login transaction gone');
  }
}

function expired(): TransactionGone {
  return new TransactionGone();
}
