import { createApiRouter, type ApiRouter } from '@hellojohn/http';
import { Router } from 'express';
import { requireUser } from '../auth/require-user';
import type { Services } from '../deps';
import { authRoutes } from './auth.routes';
import { meRoutes } from './me.routes';
import { wellKnownRoutes } from './well-known.routes';

/**
 * The data plane's route table. Every tenant route is served twice: under `/t/{tenant}` and at
 * the root with `X-Tenant-ID`; `resolveTenant` runs first either way.
 */
export function routes(services: Services): { api: ApiRouter; tenantScoped: Router } {
  const user = requireUser(services.keyring);
  const auth = authRoutes(services.auth);
  const me = meRoutes();

  const api = createApiRouter({ mergeParams: true })
    .post('/v1/auth/sign-up', auth.signUp)
    .post('/v1/auth/sign-in', auth.signIn)
    .post('/v1/auth/refresh', auth.refresh)
    .get('/v1/me', user, me.get);

  const tenantScoped = Router({ mergeParams: true });
  tenantScoped.use(
    '/t/:tenant',
    services.resolveTenant,
    wellKnownRoutes(services.keyring),
    api.router,
  );
  tenantScoped.use('/v1', services.resolveTenant);
  tenantScoped.use(api.router);
  return { api, tenantScoped };
}
