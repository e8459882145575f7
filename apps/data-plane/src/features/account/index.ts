import type { PasswordHasher } from '@hellojohn/tokens';
import { accountRoutes } from './account.routes';
import { createAccountService, type AccountService } from './account.service';

/** `/v1/me`: the signed-in user's profile, password and deletion. */
export interface AccountModule {
  service: AccountService;
  endpoints: ReturnType<typeof accountRoutes>;
}

export function createAccountModule(deps: {
  hashers: (cost: number) => PasswordHasher;
}): AccountModule {
  const service = createAccountService(deps);
  return { service, endpoints: accountRoutes(service) };
}
