import type { Logger } from '@hellojohn/http';
import { DEFAULT_IMPORT_PACING, type ImportPacing } from './import-pacer';
import type { IdentityProviderIds } from './import-access';
import { createImportRunner } from './import-runner';
import { createUserImportService, type UserImportService } from './user-import.service';
import { userTransferRoutes } from './user-transfer.routes';

export type { ImportPacing } from './import-pacer';

/** `/v1/admin/users/import` and `/export`: tenant admins move users in and out in bulk. */
export interface UserTransferModule {
  imports: UserImportService;
  endpoints: ReturnType<typeof userTransferRoutes>;
  /** Stops the import runner after its batch in flight. */
  close(): Promise<void>;
}

export function createUserTransferModule(deps: {
  masterKey: Buffer;
  logger: Logger;
  /** The tenant's identity providers, against which an import line's `identities` are checked. */
  identityProviders: IdentityProviderIds;
  /** Tests run batches without pauses; production keeps the defaults. */
  pacing?: Partial<ImportPacing> | undefined;
}): UserTransferModule {
  const runner = createImportRunner({
    logger: deps.logger,
    masterKey: deps.masterKey,
    pacing: deps.pacing,
  });
  const imports = createUserImportService({
    masterKey: deps.masterKey,
    identityProviders: deps.identityProviders,
    runner,
    leaseMs: deps.pacing?.leaseMs ?? DEFAULT_IMPORT_PACING.leaseMs,
  });
  return {
    imports,
    endpoints: userTransferRoutes({ imports, masterKey: deps.masterKey }),
    close: () => runner.stop(),
  };
}
