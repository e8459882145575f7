import { randomUUID } from 'node:crypto';
import type { AuthorizationCodeRow } from '@hellojohn/dal';
import { OAuthError } from '@hellojohn/http';
import { sha256Hex } from '@hellojohn/tokens';
import { z } from 'zod';
import { audit } from '../../audit/audit';
import { recordSessionsRevoked } from '../../outbox';
import { isLiveSession } from '../../tokens/live-session';
import { activeUser, refreshTtlOf, userTokenResponse } from '../client-tokens';
import { verifierMatches } from '../pkce';
import type { ApiResource } from '../resource-catalogue';
import { requestedResource, resourceFor, resourceParameters } from '../resource-indicator';
import { defineGrant, type GrantContext } from './grant';

/** RFC 6749 §5.2 invalid_grant, one description for every way a code can fail to redeem. */
const invalidCode = (): OAuthError =>
  new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used.');

/**
 * The checks that do not spend the code (RFC 6749 §4.1.3, RFC 7636 §4.6), so a wrong
 * `redirect_uri` or verifier leaves it redeemable: issued to this client, for this exact
 * redirect URI, with the PKCE verifier of its challenge (or none when it has none; a public
 * client's code always has one), under a browser session that still stands, and for a
 * third-party client while the user's consent still covers its scope.
 */
async function checkCode(
  context: GrantContext,
  code: AuthorizationCodeRow,
  redirectUri: string,
  verifier: string | undefined,
): Promise<void> {
  const { client, tenant } = context;
  if (code.clientId !== client.client_id || code.redirectUri !== redirectUri) throw invalidCode();
  if (code.codeChallenge === null) {
    if (verifier !== undefined || client.type === 'public') throw invalidCode();
  } else if (
    verifier === undefined ||
    !verifierMatches(verifier, code.codeChallenge, code.codeChallengeMethod)
  ) {
    throw invalidCode();
  }
  const browser = await tenant.db.sessions.findById(code.sessionId);
  if (!isLiveSession(browser, new Date())) throw invalidCode();
  // A third-party client's code stands on the user's consent: withdrawn in the code's 60 s, it
  // must not start a session that the withdrawal just ended for every other token.
  if (!client.first_party) {
    const consent = await tenant.db.consents.find(code.userId, client.client_id);
    const granted = code.scope.split(' ').filter((token) => token !== '');
    if (!consent || !granted.every((scope) => consent.scopes.includes(scope))) {
      throw invalidCode();
    }
  }
}

/**
 * The API resource the code was issued for. RFC 8707 §2.2 lets the token request name it again,
 * but not another one: this code's consent covered that API only.
 */
async function codeResource(
  context: GrantContext,
  issuedFor: string | null,
  requested: string | undefined,
): Promise<ApiResource | null> {
  if (requested !== undefined && requested !== issuedFor) {
    throw new OAuthError('invalid_target', 'The code was not issued for this resource.');
  }
  if (issuedFor === null) return null;
  return resourceFor(context.resources, context.tenant, issuedFor, 'users');
}

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636) and OpenID Connect (Core §3.1.3): redeems a code the
 * authorization endpoint issued. One tenant transaction spends the code and starts the client's
 * session (bound to the client, the granted scope and the browser session); a replayed code is
 * `invalid_grant` and ends the session its first redemption started (RFC 6749 §4.1.2), so those
 * tokens die too. The refresh token comes only to clients registered for `refresh_token` when
 * the scope has `offline_access`; the ID token when it has `openid`.
 */
export const authorizationCode = defineGrant({
  grantType: 'authorization_code',
  clientTypes: ['public', 'confidential'],
  parameters: z.object({
    code: z.string().max(512).describe('The authorization code (single use, 60 seconds).'),
    redirect_uri: z
      .string()
      .max(2048)
      .describe('Exactly the `redirect_uri` of the authorization request.'),
    code_verifier: z
      .string()
      .max(1024)
      .optional()
      .describe(
        'RFC 7636 PKCE verifier (43-128 unreserved characters) of the S256 challenge; required when the authorization request had one (always for public clients), refused when it had none.',
      ),
    ...resourceParameters,
  }),
  async handle(context, parameters) {
    const { code, redirect_uri, code_verifier } = parameters;
    const { tenant, client, meta, sessionTokens } = context;
    const codeHash = sha256Hex(code);
    const found = await tenant.db.authorizationCodes.findByHash(codeHash);
    if (!found) throw invalidCode();
    await checkCode(context, found, redirect_uri, code_verifier);
    const user = await activeUser(context, found.userId);
    const resource = await codeResource(context, found.resource, requestedResource(parameters));

    const now = new Date();
    const sessionId = randomUUID();
    const scope = found.scope.split(' ').filter((token) => token !== '');
    const offline =
      scope.includes('offline_access') && client.grant_types.includes('refresh_token');
    const expiresAt = new Date(now.getTime() + refreshTtlOf(client, tenant.policy) * 1000);
    const outcome = await tenant.db.transaction(async (tx) => {
      const result = await tx.authorizationCodes.consume(codeHash, now, sessionId);
      if (result.outcome === 'redeemed') {
        await tx.sessions.create({
          id: sessionId,
          userId: found.userId,
          expiresAt,
          userAgent: meta.userAgent?.slice(0, 512) ?? null,
          ip: meta.ip ?? null,
          authTime: found.authTime,
          amr: found.amr,
          acr: found.acr,
          browserSessionId: found.sessionId,
          clientId: client.client_id,
          scope: found.scope,
          resource: found.resource,
        });
        const refresh = offline
          ? await sessionTokens.refreshToken(tx, tenant, sessionId, null, undefined, { expiresAt })
          : undefined;
        return { kind: 'redeemed' as const, refreshToken: refresh?.token };
      }
      if (result.outcome === 'replayed' && result.code.issuedSessionId) {
        const [issued, reason] = [result.code.issuedSessionId, 'authorization_code_reused'];
        if (await tx.sessions.revoke(issued, reason)) {
          await recordSessionsRevoked(tx, found.userId, [issued], reason);
        }
      }
      // Returned, not thrown: throwing here would roll the revocation back.
      return { kind: result.outcome };
    });
    if (outcome.kind !== 'redeemed') {
      if (outcome.kind === 'replayed') {
        // RFC 6749 §4.1.2: a replayed code may be stolen; what it issued is revoked.
        await audit(tenant.db, meta, {
          action: 'session.revoked',
          outcome: 'success',
          actor: `client:${client.client_id}`,
          userId: found.userId,
          details: { reason: 'authorization_code_reused' },
        });
      }
      throw invalidCode();
    }
    return userTokenResponse(context, {
      user,
      sessionId,
      browserSessionId: found.sessionId,
      scope,
      authTime: found.authTime,
      amr: found.amr,
      acr: found.acr,
      nonce: found.nonce,
      refreshToken: outcome.refreshToken,
      // A new client session starts with no active organization; a refresh may choose one.
      organizationId: null,
      resource,
    });
  },
});
