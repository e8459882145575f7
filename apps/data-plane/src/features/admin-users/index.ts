import type { PasswordHasher } from '@hellojohn/tokens';
import { adminUserRoutes } from './admin-users.routes';
import { createAdminUserService, type AdminUserService } from './admin-users.service';

/** `/v1/admin/users`: tenant admins (CP admin tokens) manage the tenant's users. */
export interface AdminUsersModule {
  service: AdminUserService;
  endpoints: ReturnType<typeof adminUserRoutes>;
}

export function createAdminUsersModule(deps: {
  hashers: (cost: number) => PasswordHasher;
}): AdminUsersModule {
  const service = createAdminUserService(deps);
  return { service, endpoints: adminUserRoutes(service) };
}
