import request from 'supertest';
import { describeAccount } from './auth/account.suite';
import { describeAdminUsers } from './auth/admin-users.suite';
import { describeRefresh } from './auth/refresh.suite';
import { describeSignUpAndIn } from './auth/sign-up-in.suite';
import { useAuthContext } from './support/auth-context';
import type { DpSystem } from './support/dp-system';

/**
 * The data plane's end-user auth (issue 5) end to end over HTTP, on whatever tenant database
 * server `start` runs the data plane with. The parts live in `auth/*.suite.ts`.
 */
export function authSuite(name: string, start: () => Promise<DpSystem>): void {
  describe(name, () => {
    const ctx = useAuthContext(start);

    it('documents every auth route in /openapi.json', async () => {
      const res = await request(ctx.system.dp.url).get('/openapi.json').expect(200);
      const paths = Object.keys(res.body.paths as Record<string, unknown>);
      for (const path of [
        '/v1/auth/sign-up',
        '/v1/auth/sign-out',
        '/v1/auth/sign-out-all',
        '/v1/me/password',
        '/v1/sessions/{id}',
        '/v1/admin/users/{id}/sign-out',
      ]) {
        expect(paths).toContain(path);
      }
    });

    describeSignUpAndIn(ctx);
    describeRefresh(ctx);
    describeAccount(ctx);
    describeAdminUsers(ctx);
  });
}
