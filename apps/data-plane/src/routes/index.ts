import { createApiRouter, type ApiRouter } from '@hellojohn/http';
import { Router } from 'express';
import { optionalUser, requireUser } from '../auth/require-user';
import type { Services } from '../deps';
import { adminUserRoutes } from './admin-users.routes';
import { authRoutes } from './auth.routes';
import { meRoutes } from './me.routes';
import { sessionRoutes } from './sessions.routes';
import { wellKnownRoutes } from './well-known.routes';

/**
 * The data plane's route table. Every tenant route is served twice: under `/t/{tenant}` and at
 * the root with `X-Tenant-ID`; `resolveTenant` runs first either way.
 */
export function routes(services: Services): { api: ApiRouter; tenantScoped: Router } {
  const user = requireUser(services.keyring);
  const auth = authRoutes(services.auth);
  const me = meRoutes(services.account);
  const sessions = sessionRoutes(services.sessions);
  const adminUsers = adminUserRoutes(services.adminUsers);
  const { requireCpAdmin } = services;
  // Budgets per tenant (abuse/limit-table.ts); 429 when spent, 503 when Redis cannot answer.
  const { limit } = services.limits;

  const api = createApiRouter({ mergeParams: true })
    .post('/v1/auth/sign-up', limit('sign_up_ip', 'sign_up_account'), auth.signUp)
    .post('/v1/auth/sign-in', limit('sign_in_ip', 'sign_in_account'), auth.signIn)
    .post('/v1/auth/refresh', limit('refresh_ip', 'refresh_token'), auth.refresh)
    .post('/v1/auth/sign-out', optionalUser(services.keyring), auth.signOut)
    .post('/v1/auth/sign-out-all', user, auth.signOutAll)
    .get('/v1/me', user, me.get)
    .patch('/v1/me', user, me.update)
    // Password checks outside sign-in share the per-IP sign-in budget (guessing with a stolen token).
    .post('/v1/me/password', limit('sign_in_ip'), user, me.changePassword)
    .delete('/v1/me', limit('sign_in_ip'), user, me.remove)
    .get('/v1/sessions', user, sessions.list)
    .delete('/v1/sessions/:id', user, sessions.remove)
    .get('/v1/admin/users', requireCpAdmin('viewer'), adminUsers.list)
    .post('/v1/admin/users', requireCpAdmin('owner'), adminUsers.create)
    .get('/v1/admin/users/:id', requireCpAdmin('viewer'), adminUsers.get)
    .patch('/v1/admin/users/:id', requireCpAdmin('owner'), adminUsers.update)
    .delete('/v1/admin/users/:id', requireCpAdmin('owner'), adminUsers.remove)
    .post('/v1/admin/users/:id/sign-out', requireCpAdmin('owner'), adminUsers.signOut);

  const tenantScoped = Router({ mergeParams: true });
  tenantScoped.use(
    '/t/:tenant',
    services.resolveTenant,
    wellKnownRoutes(services.keyring),
    api.router,
  );
  tenantScoped.use('/v1', services.resolveTenant);
  tenantScoped.use(api.router);
  // After every tenant route: an unreachable tenant database answers 503 tenant_unavailable.
  tenantScoped.use(services.tenantUnavailable);
  return { api, tenantScoped };
}
