import {
  isConnectionError,
  redactDatabaseUrl,
  type TenantConnectionInfo,
  type TenantPools,
} from '@hellojohn/dal';
import { safeReason } from '../../tenancy/safe-reason';
import { ProvisioningError } from './provisioning-error';

function passwordOf(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Checks an operator-given database before HelloJohn migrates it: it must answer, and be empty or
 * already this tenant's. Failures say what to fix (host, database, user, cause) without the
 * password, since they become the tenant's `status_reason`.
 */
export async function checkExternalDatabase(
  pools: TenantPools,
  info: TenantConnectionInfo,
  url: string,
): Promise<void> {
  const where = redactDatabaseUrl(url);
  let state: Awaited<ReturnType<TenantPools['inspect']>>;
  try {
    state = await pools.inspect(info);
  } catch (error) {
    const code = codeOf(error);
    const cause = safeReason(error, passwordOf(url));
    const hint = isConnectionError(error)
      ? 'check the host, port and that the server accepts connections from the data plane'
      : 'check the database name, user and password in the DSN';
    throw new ProvisioningError(
      `cannot use the external database ${where}: ${cause}${code ? ` (${code})` : ''}; ${hint}`,
      { cause: error },
    );
  }
  if (state === 'foreign') {
    throw new ProvisioningError(
      `the external database ${where} is not empty and was not created by HelloJohn for this tenant; give an empty database`,
    );
  }
}
