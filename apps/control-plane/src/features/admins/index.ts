import type { GlobalDb } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { AdminMailer } from '../../mail';
import { adminRoutes } from './admins.routes';
import { createAdminService, type AdminService } from './admins.service';

export type { BootstrapResult } from './admins.service';

/**
 * CP admins (owner/admin/viewer, on every tenant or a list): the first owner at start-up, then
 * list, create (with a password, or invited by mail), resend invitations, change (role, tenants,
 * disabled) and delete.
 */
export interface AdminsModule {
  service: AdminService;
  routes: ReturnType<typeof adminRoutes>;
}

export function createAdminsModule(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  mailer: AdminMailer;
  cpUrl: string;
  logger: Logger;
  onOutboxWrite?: () => void;
}): AdminsModule {
  const service = createAdminService(deps);
  return { service, routes: adminRoutes(service) };
}
