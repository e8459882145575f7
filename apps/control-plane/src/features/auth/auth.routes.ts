import { AppError, endpoint } from '@hellojohn/http';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { actorOf, setActor, type Actor } from '../../guards/actor';
import type { AdminTokens } from './admin-tokens';
import type { AdminTotpService, TotpSubject } from './admin-totp.service';
import {
  AcceptInvitationBody,
  AdminToken,
  MfaVerifyBody,
  RecoveryCodes,
  RefreshBody,
  SignInBody,
  SignInResponse,
  SignOutBody,
  TotpConfirmBody,
  TotpEnrolment,
  TotpRemoveBody,
} from './auth.schemas';
import type { AdminTokenPair, AuthService } from './auth.service';

const TAGS = ['auth'];

function tokenResponse(res: Response, pair: AdminTokenPair) {
  res.setHeader('Cache-Control', 'no-store');
  return {
    access_token: pair.token,
    token_type: 'Bearer' as const,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
  };
}

/** The signed-in admin behind a TOTP route; API keys have no second factor to manage. */
function totpSubject(actor: Actor): TotpSubject {
  if (actor.type !== 'admin') {
    throw new AppError('forbidden', 'API keys have no authenticator; sign in as an admin.');
  }
  return { id: actor.id, email: actor.label };
}

const clientIp = (req: { ip?: string | undefined }): string => req.ip ?? 'unknown';

export function authRoutes(auth: AuthService, tokens: AdminTokens, totp: AdminTotpService) {
  const jwks: RequestHandler = function controlPlaneJwks(_req, res) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(tokens.jwks());
  };
  return {
    signIn: endpoint(
      {
        summary: 'Sign in as a CP admin',
        description:
          'Opens an admin session: a short-lived access token and a refresh token. An admin with an authenticator (TOTP) gets `{mfa_required: true, mfa_token}` instead; complete it with `POST /v1/auth/mfa/verify`.',
        tags: TAGS,
        body: SignInBody,
        response: SignInResponse,
        errors: ['invalid_credentials', 'rate_limited'],
      },
      async function signIn({ body }, req, res) {
        // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets counted.
        const result = await auth.signIn(body.email, body.password, clientIp(req));
        if ('mfaRequired' in result) {
          res.setHeader('Cache-Control', 'no-store');
          return {
            mfa_required: true as const,
            mfa_token: result.mfaToken,
            factors: ['totp' as const, 'recovery_code' as const],
            expires_in: result.expiresIn,
          };
        }
        return tokenResponse(res, result);
      },
    ),
    verifyMfa: endpoint(
      {
        summary: "Complete an admin's sign-in with a TOTP or recovery code",
        description:
          'Each TOTP code is accepted once (a replay within its window is refused) and each recovery code once ever. A wrong code leaves the `mfa_token` usable until it expires (5 minutes); wrong codes are rate limited per admin.',
        tags: TAGS,
        body: MfaVerifyBody,
        response: AdminToken,
        errors: ['mfa_token_invalid', 'invalid_mfa_code', 'rate_limited'],
      },
      async function verifyAdminMfa({ body }, req, res) {
        const opened = await auth.verifyMfa(body.mfa_token, body.code, clientIp(req));
        setActor(res, opened.actor);
        return tokenResponse(res, opened);
      },
    ),
    acceptInvitation: endpoint(
      {
        summary: 'Accept a CP admin invitation: choose a password and sign in',
        description:
          'The `token` is the `token=` of the invitation link. It works once and expires (72 hours after it was sent).',
        tags: TAGS,
        body: AcceptInvitationBody,
        response: AdminToken,
        errors: ['invalid_invitation'],
      },
      async function acceptAdminInvitation({ body }, _req, res) {
        const opened = await auth.acceptInvitation(body.token, body.password);
        setActor(res, opened.actor);
        return tokenResponse(res, opened);
      },
    ),
    enrolTotp: endpoint(
      {
        summary: 'Start enrolling an authenticator (TOTP) for the signed-in admin',
        description:
          'Answers the secret and its `otpauth://` URI once; confirm within 10 minutes with `POST /v1/auth/totp/confirm`. A new enrolment replaces an unconfirmed one.',
        tags: TAGS,
        body: z.strictObject({}).optional(),
        response: TotpEnrolment,
        status: 201,
        errors: ['forbidden', 'mfa_factor_exists'],
      },
      async function enrolAdminTotp(_input, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return totp.enrol(totpSubject(actorOf(res)));
      },
    ),
    confirmTotp: endpoint(
      {
        summary: 'Confirm the authenticator with a code; answers 10 recovery codes, shown once',
        tags: TAGS,
        body: TotpConfirmBody,
        response: RecoveryCodes,
        errors: ['forbidden', 'mfa_factor_not_found', 'invalid_mfa_code', 'rate_limited'],
      },
      async function confirmAdminTotp({ body }, req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return totp.confirm(totpSubject(actorOf(res)), body.code, clientIp(req));
      },
    ),
    removeTotp: endpoint(
      {
        summary: "Remove the signed-in admin's authenticator (with a current or recovery code)",
        tags: TAGS,
        body: TotpRemoveBody,
        status: 204,
        errors: ['forbidden', 'mfa_factor_not_found', 'invalid_mfa_code', 'rate_limited'],
      },
      async function removeAdminTotp({ body }, req, res) {
        await totp.remove(totpSubject(actorOf(res)), body.code, clientIp(req));
      },
    ),
    refresh: endpoint(
      {
        summary: 'Exchange an admin refresh token for a new pair',
        description:
          'The refresh token is spent; presenting it again ends the session on both planes.',
        tags: TAGS,
        body: RefreshBody,
        response: AdminToken,
        errors: ['refresh_token_invalid', 'refresh_token_reused'],
      },
      async function refreshAdminSession({ body }, _req, res) {
        const refreshed = await auth.refresh(body.refresh_token);
        setActor(res, refreshed.actor);
        return tokenResponse(res, refreshed);
      },
    ),
    signOut: endpoint(
      {
        summary: 'End an admin session (bearer access token, or {refresh_token})',
        description:
          "The session's tokens stop working on the control plane at once and on the data plane within seconds.",
        tags: TAGS,
        body: SignOutBody,
        status: 204,
        errors: ['unauthenticated', 'invalid_token', 'refresh_token_invalid'],
      },
      async function signOutAdmin({ body }, req, res) {
        const refreshToken = body?.refresh_token;
        if (refreshToken !== undefined) {
          await auth.signOut({ refreshToken });
          return;
        }
        const header = req.headers.authorization;
        const match = header ? /^Bearer +(\S+)$/i.exec(header) : null;
        if (!match?.[1]) {
          throw new AppError('unauthenticated', 'Send a bearer access token or {"refresh_token"}.');
        }
        const actor = await auth.authenticate(match[1]);
        setActor(res, actor);
        if (actor.sessionId !== null) await auth.signOut({ sessionId: actor.sessionId });
      },
    ),
    /** The public keys of CP admin tokens, for the data plane (`/.well-known/jwks.json`). */
    jwks,
  };
}
