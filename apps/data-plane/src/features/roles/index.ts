import { roleRoutes } from './roles.routes';
import { createRoleService, type RoleService } from './roles.service';

export { CreateRoleBody, PatchRoleBody, Role, RoleList, toRoleView } from './roles.schemas';
export type { NewRoleInput, RolePatchInput, RoleService } from './roles.service';

/** `/v1/admin/roles`: tenant admins (CP admin tokens) manage roles and assign them to users. */
export interface RolesModule {
  service: RoleService;
  endpoints: ReturnType<typeof roleRoutes>;
}

export function createRolesModule(): RolesModule {
  const service = createRoleService();
  return { service, endpoints: roleRoutes(service) };
}
