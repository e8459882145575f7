import { sessionRoutes } from './sessions.routes';
import { createSessionService, type SessionService } from './sessions.service';

/** The page query of session lists (tenant admins list a user's the same way). */
export { SessionListQuery } from './sessions.schemas';

/** `/v1/sessions`: the signed-in user's own sessions. */
export interface SessionsModule {
  service: SessionService;
  endpoints: ReturnType<typeof sessionRoutes>;
}

export function createSessionsModule(): SessionsModule {
  const service = createSessionService();
  return { service, endpoints: sessionRoutes(service) };
}
