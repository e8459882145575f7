import type { MfaFactorRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { TenantContext } from '../../tenancy/tenant-context';

/** Renames one of the user's factors; another user's factor is `factor_not_found` too. */
export async function renameFactor(
  tenant: TenantContext,
  userId: string,
  factorId: string,
  name: string,
): Promise<MfaFactorRow> {
  const factor = await tenant.db.mfaFactors.findById(userId, factorId);
  if (!factor || !(await tenant.db.mfaFactors.rename(factor.id, name))) {
    throw new AppError('mfa_factor_not_found');
  }
  return { ...factor, name };
}
