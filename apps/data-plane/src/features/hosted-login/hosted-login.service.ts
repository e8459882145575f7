import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  LoginTransactionRow,
  MfaFactorType,
  SessionRow,
  StoredAuthorizationRequest,
  UserRow,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { PasswordAuthenticator, PasswordCheck } from '../../credentials/authenticate-password';
import type { ResourceCatalogue } from '../../oauth2';
import type { ClientDirectory, OAuthClient } from '../../oauth2/client-directory';
import type { TenantContext } from '../../tenancy/tenant-context';
import { ACR_MULTI_FACTOR, acrOf } from '../../tokens/authentication-context';
import type { MfaStepService } from '../mfa';
import {
  checkAuthorizationRequest,
  hasPrompt,
  param,
  responseModeOf,
  type AuthorizeParams,
} from './authorization-request';
import { authorizationResponse, type AuthorizationResponse } from './authorization-response';
import {
  HOSTED_RETURN_CLIENT_ID,
  returnClientOf,
  returnUrlOf,
  type ReturnTarget,
} from './hosted-return';
import { matchesRedirectUri } from './redirect-uri';
import { recordDomainEvent, signInMethodOf } from '../../outbox';
import { markSessionRevoked } from '../../tenancy/session-revocation-marks';

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

/** OpenID PAPE's multi-factor policy, read as `urn:hellojohn:loa:2` in `acr_values`. */
const PAPE_MULTI_FACTOR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

/**
 * Whether a request must end multi-factor: its `acr_values` name loa:2 (or PAPE's alias) and the
 * tenant's `mfa` is not off. Under `off` the RP gets the `acr` there is and decides (OIDC Core
 * §2, `acr` is voluntary here).
 */
function wantsMultiFactor(tenant: TenantContext, request: StoredAuthorizationRequest) {
  if (tenant.policy.mfa === 'off' || request.acr_values === null) return false;
  const values = request.acr_values.split(' ');
  return values.includes(ACR_MULTI_FACTOR) || values.includes(PAPE_MULTI_FACTOR);
}

/** After a first factor: a browser session, or a second factor to ask for (its mfa_token). */
export type SignedIn =
  | { kind: 'session'; session: BrowserSession }
  | { kind: 'mfa'; mfaToken: string; enrolment: boolean };

/** Where the browser goes next. */
export type Next =
  | { kind: 'login'; handle: string }
  | { kind: 'consent'; handle: string }
  | { kind: 'respond'; response: AuthorizationResponse }
  /** A hosted page's own sign-in is done: back to that page (`location`) with `?tx=handle`. */
  | { kind: 'return'; handle: string; location: string };

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
  /**
   * Opens a sign-in for a hosted page of the tenant (not for a client): a login transaction
   * that ends by returning to `target` with `?tx=` (see hosted-return.ts). `state` is kept for
   * the page (it reads it back from the transaction); `prompt: 'login'` always asks to sign in,
   * even with a session. Returns the transaction's handle.
   */
  startReturn(
    tenant: TenantContext,
    input: { target: ReturnTarget; state: string; prompt?: 'login' | undefined },
  ): Promise<string>;
  /** The live transaction a page's `tx` names, with its client; undefined when gone. */
  interaction(tenant: TenantContext, handle: string): Promise<Interaction | undefined>;
  /**
   * What the consent page says of the API scopes a transaction asks for (RFC 8707 `resource`):
   * each requested scope the API describes -> `{description, api}`.
   */
  apiScopes(
    tenant: TenantContext,
    interaction: Interaction,
  ): Promise<Record<string, { description: string; api: string }>>;
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
    input: {
      email: string;
      password: string;
      current: SessionRow | undefined;
      interaction: Interaction;
    },
    meta: RequestMeta,
  ): Promise<({ ok: true } & SignedIn) | Extract<PasswordCheck, { ok: false }>>;
  /**
   * After any first factor (`amr`): the MFA step (docs/mfa.md) decides whether a second factor
   * is asked for (its mfa_token, bound to the transaction) or the browser session starts now.
   * `exclude`: factor types the first factor already proved (email after a mailed link).
   */
  signedIn(
    tenant: TenantContext,
    interaction: Interaction | undefined,
    user: UserRow,
    amr: readonly string[],
    current: SessionRow | undefined,
    meta: RequestMeta,
    options: { method: string; exclude?: readonly MfaFactorType[] },
  ): Promise<SignedIn>;
  /**
   * Starts a browser session for a user who just authenticated (sign-in, sign-up, a mailed
   * link, a second factor); `amr` says how (RFC 8176), `["pwd"]` unless given, and `acr` the
   * level it reaches. The same user's session is re-authenticated in place (step-up).
   */
  startBrowserSession(
    tenant: TenantContext,
    userId: string,
    current: SessionRow | undefined,
    meta: RequestMeta,
    amr?: readonly string[],
    acr?: string,
  ): Promise<BrowserSession>;
  /** The consent page's answer: remember it and issue the code, or `access_denied`. */
  consent(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow,
    allow: boolean,
    meta: RequestMeta,
  ): Promise<Next>;
  /**
   * Whether a transaction's login step is done by this session (prompt=login, max_age, and a
   * multi-factor session when `acr_values` asks for one).
   */
  loginSatisfied(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow | undefined,
  ): boolean;
  /** The session is recent enough but single-factor where the request wants more (step-up). */
  stepUpNeeded(
    tenant: TenantContext,
    interaction: Interaction,
    session: SessionRow | undefined,
  ): boolean;
}

export function createHostedLoginService(deps: {
  clients: ClientDirectory;
  /** The tenant's API resources, which authorization requests may name (RFC 8707). */
  resources: ResourceCatalogue;
  passwords: PasswordAuthenticator;
  /** The sign-in step after a first factor (features/mfa). */
  mfa: MfaStepService;
}): HostedLoginService {
  const { clients } = deps;

  function fresh(
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

  function stepUpNeeded(
    tenant: TenantContext,
    tx: LoginTransactionRow,
    session: SessionRow | undefined,
    now: Date,
  ): boolean {
    if (!session || !fresh(tx.request, tx.createdAt, session, now)) return false;
    return wantsMultiFactor(tenant, tx.request) && session.acr !== ACR_MULTI_FACTOR;
  }

  function loginSatisfied(
    tenant: TenantContext,
    tx: LoginTransactionRow,
    session: SessionRow | undefined,
    now: Date,
  ): boolean {
    return fresh(tx.request, tx.createdAt, session, now) && !stepUpNeeded(tenant, tx, session, now);
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
      resource: tx.request.resource,
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
    if (!session || !loginSatisfied(tenant, tx, session, new Date())) {
      // OIDC Core §3.1.2.6: prompt=none never shows a page.
      if (silent)
        return refuse(tenant, interaction, 'login_required', 'The user is not signed in.');
      return { kind: 'login', handle: interaction.handle };
    }
    if (interaction.client.client_id === HOSTED_RETURN_CLIENT_ID) {
      return { kind: 'return', handle: interaction.handle, location: tx.request.redirect_uri };
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
    amr: readonly string[] = ['pwd'],
    acr: string = acrOf(amr),
  ): Promise<BrowserSession> {
    const now = new Date();
    const handle = newHandle();
    const auth = { handleHash: sha256hex(handle), authTime: now, amr, acr };
    if (current?.userId === userId) {
      // The same user again (prompt=login, max_age): a fresh auth_time, a new cookie, the same
      // session, so the apps signed in through it stay signed in.
      if (await tenant.db.browserSessions.reauthenticate(current.id, now, auth)) {
        const row = await tenant.db.sessions.findById(current.id);
        if (row) return { row, newHandle: handle };
      }
    } else if (current) {
      // Another account signs in in this browser: the previous one is signed out of it.
      markSessionRevoked(tenant.db.tenantId, current.id);
      await tenant.db.browserSessions.revoke(current.id, 'replaced_by_sign_in');
    }
    // The browser session and its `user.signed_in` event commit together (docs/webhooks.md).
    const row = await tenant.db.transaction(async (tx) => {
      const created = await tx.browserSessions.create({
        id: randomUUID(),
        userId,
        ...auth,
        expiresAt: new Date(now.getTime() + tenant.policy.refreshTokenTtlSeconds * 1000),
        userAgent: meta.userAgent ?? null,
        ip: meta.ip ?? null,
      });
      await recordDomainEvent(tx, 'user.signed_in', {
        user_id: userId,
        session_id: created.id,
        method: signInMethodOf(amr),
      });
      return created;
    });
    return { row, newHandle: handle };
  }

  const signedIn: HostedLoginService['signedIn'] = async (
    tenant,
    interaction,
    user,
    amr,
    current,
    meta,
    options,
  ) => {
    const begun = await deps.mfa.begin(tenant, user, amr, meta, {
      exclude: options.exclude,
      // The MFA page checks that the token it finds is this transaction's.
      context: interaction === undefined ? {} : { tx_id: interaction.tx.id },
      force: interaction !== undefined && wantsMultiFactor(tenant, interaction.tx.request),
    });
    if (begun.kind === 'challenge') {
      return {
        kind: 'mfa',
        mfaToken: begun.challenge.mfa_token,
        enrolment: begun.challenge.enrolment_required === true,
      };
    }
    const session = await startBrowserSession(
      tenant,
      user.id,
      current,
      meta,
      begun.auth.amr,
      begun.auth.acr ?? acrOf(begun.auth.amr),
    );
    await audit(tenant.db, meta, {
      action: 'user.signed_in',
      outcome: 'success',
      userId: user.id,
      details: { method: options.method, session_id: session.row.id, amr: [...begun.auth.amr] },
    });
    return { kind: 'session', session };
  };

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
      const checked = await checkAuthorizationRequest(client, redirectUri, params, (identifier) =>
        deps.resources.resolve(tenant.config.id, identifier),
      );
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

    async startReturn(tenant, input) {
      const handle = newHandle();
      await tenant.db.loginTransactions.create({
        handleHash: sha256hex(handle),
        clientId: HOSTED_RETURN_CLIENT_ID,
        request: {
          response_type: 'none',
          redirect_uri: returnUrlOf(tenant, input.target),
          scope: '',
          state: input.state,
          prompt: input.prompt ?? null,
        },
        expiresAt: new Date(Date.now() + TRANSACTION_TTL_MS),
      });
      return handle;
    },

    async apiScopes(tenant, interaction) {
      const identifier = interaction.tx.request.resource;
      if (identifier === null) return {};
      const resource = await deps.resources.resolve(tenant.config.id, identifier);
      const requested = new Set(interaction.tx.request.scope.split(' '));
      return Object.fromEntries(
        (resource?.scopes ?? []).flatMap((scope) =>
          requested.has(scope.name) && scope.description !== null
            ? [[scope.name, { description: scope.description, api: resource?.name ?? identifier }]]
            : [],
        ),
      );
    },

    async interaction(tenant, handle) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(handle)) return undefined;
      const tx = await tenant.db.loginTransactions.findLiveByHandleHash(
        sha256hex(handle),
        new Date(),
      );
      if (!tx) return undefined;
      if (tx.clientId === HOSTED_RETURN_CLIENT_ID) {
        return { tx, handle, client: returnClientOf(tenant) };
      }
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
      const done = await signedIn(
        tenant,
        input.interaction,
        checked.user,
        ['pwd'],
        input.current,
        meta,
        { method: 'hosted_login' },
      );
      return { ok: true, ...done };
    },

    signedIn,

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

    loginSatisfied: (tenant, interaction, session) =>
      loginSatisfied(tenant, interaction.tx, session, new Date()),
    stepUpNeeded: (tenant, interaction, session) =>
      stepUpNeeded(tenant, interaction.tx, session, new Date()),
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
