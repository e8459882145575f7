import { endpoint } from '@hellojohn/http';
import type { AuthService } from '../services/auth.service';
import { tenantOf } from '../tenancy/tenant-context';
import {
  RefreshBody,
  SignInBody,
  SignUpBody,
  SignUpResponse,
  TokenPair,
} from '../schemas/auth.schemas';
import { toUserView } from '../schemas/user-view';
import { clientInfoOf } from './client-info';

const TAGS = ['auth'];

export function authRoutes(auth: AuthService) {
  return {
    signUp: endpoint(
      {
        summary: 'Create an account and sign in',
        tags: TAGS,
        auth: 'none',
        body: SignUpBody,
        response: SignUpResponse,
        status: 201,
        errors: ['email_taken', 'weak_password', 'sign_up_disabled', 'tenant_not_found'],
      },
      async function signUp({ body }, req, res) {
        const { user, tokens } = await auth.signUp(tenantOf(res), body, clientInfoOf(req));
        res.setHeader('Cache-Control', 'no-store');
        return { user: toUserView(user), ...tokens };
      },
    ),
    signIn: endpoint(
      {
        summary: 'Sign in with email and password',
        tags: TAGS,
        auth: 'none',
        body: SignInBody,
        response: TokenPair,
        errors: ['invalid_credentials', 'tenant_not_found'],
      },
      async function signIn({ body }, req, res) {
        const tokens = await auth.signIn(
          tenantOf(res),
          body.email,
          body.password,
          clientInfoOf(req),
        );
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
    refresh: endpoint(
      {
        summary: 'Exchange a refresh token for a new pair (the old one is spent)',
        tags: TAGS,
        auth: 'none',
        body: RefreshBody,
        response: TokenPair,
        errors: ['refresh_token_invalid', 'refresh_token_reused'],
      },
      async function refresh({ body }, _req, res) {
        const tokens = await auth.refresh(tenantOf(res), body.refresh_token);
        res.setHeader('Cache-Control', 'no-store');
        return tokens;
      },
    ),
  };
}
