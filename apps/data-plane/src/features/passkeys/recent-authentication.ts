import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { Proof } from '../mfa';

/**
 * Checks the password or a current code of the user before a passkey is added (the MFA core's
 * re-authentication, with its lockout); throws the error the client gets.
 */
export type ConfirmRecentAuthentication = (
  tenant: TenantContext,
  userId: string,
  proof: Proof,
  meta: RequestMeta,
) => Promise<void>;
