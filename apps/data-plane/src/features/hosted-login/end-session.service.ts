import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { Keyring } from '../../keys/keyring';
import type { ClientDirectory } from '../../oauth2/client-directory';
import { verifyIdTokenHint } from '../../oauth2/id-token';
import type { SessionRow } from '@hellojohn/dal';
import type { TenantContext } from '../../tenancy/tenant-context';
import { markSessionRevoked } from '../../tenancy/session-revocation-marks';

/** RP-Initiated Logout 1.0 §2 parameters, as received (repeated ones refused earlier). */
export interface EndSessionParams {
  id_token_hint?: string | undefined;
  client_id?: string | undefined;
  post_logout_redirect_uri?: string | undefined;
  state?: string | undefined;
  ui_locales?: string | undefined;
}

/** A checked logout request: where to go afterwards, and whether to ask first. */
export interface LogoutRequest {
  /** The registered post-logout URI with `state`, or undefined: show the signed-out page. */
  redirectTo: string | undefined;
  /** The hint names the browser's own session: log out without asking (§2, "SHOULD ask"). */
  confirmed: boolean;
  /** What the confirmation form carries to its POST (the hint's client, resolved). */
  carry: {
    client_id?: string;
    post_logout_redirect_uri?: string;
    state?: string;
    ui_locales?: string;
  };
}

export interface EndSessionService {
  /**
   * Checks the request: a `post_logout_redirect_uri` needs a client (named by `client_id` or the
   * hint's `aud`) that registered it exactly, else 400 (never an open redirector, RFC 9700 §4.11);
   * a `client_id` the hint was not issued to is 400 too. A hint that does not verify is ignored
   * (no redirect on its say-so; the user is asked).
   */
  check(
    tenant: TenantContext,
    params: EndSessionParams,
    session: SessionRow | undefined,
  ): Promise<LogoutRequest>;
  /** Ends the browser session and the sessions started from it. */
  logout(tenant: TenantContext, session: SessionRow, meta: RequestMeta): Promise<void>;
}

export function createEndSessionService(deps: {
  clients: ClientDirectory;
  keyring: Keyring;
}): EndSessionService {
  return {
    async check(tenant, params, session) {
      const hint =
        params.id_token_hint === undefined
          ? undefined
          : await verifyIdTokenHint(deps.keyring, tenant, params.id_token_hint);
      if (params.client_id !== undefined && hint && !hint.aud.includes(params.client_id)) {
        throw new AppError('validation_failed', 'The id_token_hint was not issued to client_id.');
      }
      const clientId = params.client_id ?? hint?.aud[0];
      let redirectTo: string | undefined;
      if (params.post_logout_redirect_uri !== undefined) {
        const client =
          clientId === undefined
            ? undefined
            : await deps.clients.resolve(tenant.config.id, clientId);
        if (!client?.post_logout_redirect_uris.includes(params.post_logout_redirect_uri)) {
          throw new AppError(
            'validation_failed',
            'The post_logout_redirect_uri is not registered for this client.',
          );
        }
        const url = new URL(params.post_logout_redirect_uri);
        if (params.state !== undefined) url.searchParams.append('state', params.state);
        redirectTo = url.href;
      }
      const confirmed =
        session === undefined ||
        (hint !== undefined && hint.sid === session.id && hint.sub === session.userId);
      return {
        redirectTo,
        confirmed,
        carry: {
          ...(clientId === undefined ? {} : { client_id: clientId }),
          ...(params.post_logout_redirect_uri === undefined
            ? {}
            : { post_logout_redirect_uri: params.post_logout_redirect_uri }),
          ...(params.state === undefined ? {} : { state: params.state }),
          ...(params.ui_locales === undefined ? {} : { ui_locales: params.ui_locales }),
        },
      };
    },

    async logout(tenant, session, meta) {
      // It records no `session.revoked`: the bearer guards' session cache is told here.
      markSessionRevoked(tenant.db.tenantId, session.id);
      await tenant.db.browserSessions.revoke(session.id, 'logout');
      await audit(tenant.db, meta, {
        action: 'user.signed_out',
        outcome: 'success',
        userId: session.userId,
        details: { session_id: session.id, method: 'end_session' },
      });
    },
  };
}
