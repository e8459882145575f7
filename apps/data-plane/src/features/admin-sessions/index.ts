import type { SessionsModule } from '../sessions';
import { adminSessionRoutes } from './admin-sessions.routes';
import { createAdminSessionService, type AdminSessionService } from './admin-sessions.service';

/** `/v1/admin/users/{id}/sessions`: tenant admins list and end a user's sessions. */
export interface AdminSessionsModule {
  service: AdminSessionService;
  endpoints: ReturnType<typeof adminSessionRoutes>;
}

export function createAdminSessionsModule(deps: { sessions: SessionsModule }): AdminSessionsModule {
  const service = createAdminSessionService({ sessions: deps.sessions.service });
  return { service, endpoints: adminSessionRoutes(service) };
}
