import { AppError, endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { claimsOf, maybeClaimsOf } from '../../guards/require-user';
import { mailLocaleOf } from '../../one-time-tokens/mail-locale';
import { tenantOf } from '../../tenancy/tenant-context';
import { TokenPair } from '../../tokens/token-pair.schemas';
import { toUserView } from '../../users/user.schemas';
import {
  RefreshBody,
  SignInBody,
  SignOutBody,
  SignUpAccepted,
  SignUpBody,
  SignUpResponse,
} from './auth.schemas';
import type { AuthService } from './auth.service';
import { SignInResult } from '../mfa';

const TAGS = ['auth'];

/** Sign-up, sign-in, refresh and sign-out; limits and guards are in routes/index.ts. */
export function authRoutes(auth: AuthService) {
  return {
    signUp: endpoint(
      {
        summary: 'Create an account and sign in',
        description:
          'Answers `201` with the user and tokens. Where the tenant enables enumeration protection, a new and a taken email both answer `202 {"status":"accepted"}` with no tokens; sign in next. Where it requires email verification (`require_email_verification`), a new account answers `202` too and is mailed a verification link; sign-in answers `403 email_not_verified` until it is used.',
        tags: TAGS,
        body: SignUpBody,
        responses: { 201: SignUpResponse, 202: SignUpAccepted },
        errors: ['email_taken', 'weak_password', 'sign_up_disabled'],
      },
      async function signUp({ body, reply }, req, res) {
        const locale = mailLocaleOf(req);
        const result = await auth.signUp(tenantOf(res), body, requestMetaOf(req), locale);
        res.setHeader('Cache-Control', 'no-store');
        if (result.kind === 'accepted') return reply(202, { status: 'accepted' });
        return reply(201, { user: toUserView(result.user), ...result.tokens });
      },
    ),
    signIn: endpoint(
      {
        summary: 'Sign in with email and password',
        description:
          'Answers the token pair, or, when the user has a second factor (or the tenant requires one), `{"mfa_required": true, "mfa_token", "factors", "expires_in"}` and no tokens: finish with `POST /v1/auth/mfa/verify` (docs/mfa.md).',
        tags: TAGS,
        body: SignInBody,
        response: SignInResult,
        errors: ['invalid_credentials', 'email_not_verified', 'account_locked', 'rate_limited'],
      },
      async function signIn({ body }, req, res) {
        const tokens = await auth.signIn(
          tenantOf(res),
          body.email,
          body.password,
          requestMetaOf(req),
        );
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
    refresh: endpoint(
      {
        summary: 'Exchange a refresh token for a new pair (the old one is spent)',
        description:
          'Within the tenant reuse interval (default 10 s) a just-spent token answers the same successor, so concurrent refreshes agree; after it, a spent token revokes the session.',
        tags: TAGS,
        body: RefreshBody,
        response: TokenPair,
        errors: ['refresh_token_invalid', 'refresh_token_reused', 'not_organization_member'],
      },
      async function refresh({ body }, req, res) {
        const tokens = await auth.refresh(
          tenantOf(res),
          body.refresh_token,
          requestMetaOf(req),
          body.organization_id,
        );
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
    signOut: endpoint(
      {
        summary: 'End the current session (bearer) or the session of a refresh token',
        tags: TAGS,
        body: SignOutBody,
        status: 204,
        errors: ['unauthenticated'],
      },
      async function signOut({ body }, req, res) {
        const tenant = tenantOf(res);
        const claims = maybeClaimsOf(res);
        const refreshToken = body?.refresh_token;
        if (!claims && refreshToken === undefined) {
          throw new AppError('unauthenticated', 'Send a bearer token or {"refresh_token"}.');
        }
        const meta = requestMetaOf(req);
        if (claims?.sid) await auth.signOutSession(tenant, claims.sub, claims.sid, meta);
        if (refreshToken !== undefined) await auth.signOutRefreshToken(tenant, refreshToken, meta);
      },
    ),
    signOutAll: endpoint(
      {
        summary: 'End every session of the signed-in user',
        tags: TAGS,
        status: 204,
      },
      async function signOutAll(_input, req, res) {
        await auth.signOutAll(tenantOf(res), claimsOf(res).sub, requestMetaOf(req));
      },
    ),
  };
}
