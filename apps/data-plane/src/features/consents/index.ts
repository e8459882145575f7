import type { ClientDirectory } from '../../oauth2/client-directory';
import { consentRoutes } from './consents.routes';
import { createConsentService, type ConsentService } from './consents.service';

/** `/v1/me/consents`: the consents a user gave OAuth clients, which the user may withdraw. */
export interface ConsentsModule {
  service: ConsentService;
  endpoints: ReturnType<typeof consentRoutes>;
}

export function createConsentsModule(deps: { clients: ClientDirectory }): ConsentsModule {
  const service = createConsentService(deps);
  return { service, endpoints: consentRoutes(service) };
}
