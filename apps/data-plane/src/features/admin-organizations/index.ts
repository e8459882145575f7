import { adminOrganizationRoutes } from './admin-organizations.routes';
import {
  createAdminOrganizationService,
  type AdminOrganizationService,
} from './admin-organizations.service';

/** `/v1/admin/organizations`: tenant admins (CP admin tokens) manage every organization. */
export interface AdminOrganizationsModule {
  service: AdminOrganizationService;
  endpoints: ReturnType<typeof adminOrganizationRoutes>;
}

export function createAdminOrganizationsModule(): AdminOrganizationsModule {
  const service = createAdminOrganizationService();
  return { service, endpoints: adminOrganizationRoutes(service) };
}
