import { endpoint } from '@hellojohn/http';
import type { AdminService } from '../services/admin.service';
import { AdminToken, SignInBody } from '../schemas/auth.schemas';

export function authRoutes(admins: AdminService) {
  return {
    signIn: endpoint(
      {
        summary: 'Sign in as a CP admin',
        tags: ['auth'],
        auth: 'none',
        body: SignInBody,
        response: AdminToken,
        errors: ['invalid_credentials', 'rate_limited'],
      },
      async function signIn({ body }, _req, res) {
        const { token, expiresIn } = await admins.signIn(body.email, body.password);
        res.setHeader('Cache-Control', 'no-store');
        return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
      },
    ),
  };
}
