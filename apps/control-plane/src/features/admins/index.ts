import type { GlobalDb } from '@hellojohn/dal';
import type { PasswordHasher } from '@hellojohn/tokens';
import { adminRoutes } from './admins.routes';
import { createAdminService, type AdminService } from './admins.service';

export type { BootstrapResult } from './admins.service';

/**
 * CP admins (owner/admin/viewer, on every tenant or a list): the first owner at start-up, then
 * list, create, change (role, tenants, disabled) and delete.
 */
export interface AdminsModule {
  service: AdminService;
  routes: ReturnType<typeof adminRoutes>;
}

export function createAdminsModule(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  onOutboxWrite?: () => void;
}): AdminsModule {
  const service = createAdminService(deps);
  return { service, routes: adminRoutes(service) };
}
