import { AppError } from '@hellojohn/http';
import type { Response } from 'express';
import { maybeClaimsOf } from '../../guards/require-user';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import type { Enroller } from './mfa.service';
import type { MfaStepService } from './mfa-step.service';

/**
 * Who an enrolment route acts for: the bearer's user (`optionalUser` ran), or the user of an
 * enrolment-only mfa_token in the body. One of them, never both.
 */
export async function enrollerOf(
  step: MfaStepService,
  res: Response,
  mfaToken: string | undefined,
): Promise<{ tenant: TenantContext; enroller: Enroller }> {
  const tenant = tenantOf(res);
  const claims = maybeClaimsOf(res);
  if (claims && mfaToken !== undefined) {
    throw new AppError('validation_failed', 'Send a bearer token or an mfa_token, not both.', {
      errors: [{ path: 'body.mfa_token', message: 'not with a bearer token' }],
    });
  }
  if (claims) {
    const user = await tenant.db.users.findById(claims.sub);
    if (!user) throw new AppError('invalid_token', 'The user no longer exists.');
    return { tenant, enroller: { user } };
  }
  if (mfaToken === undefined) {
    throw new AppError('unauthenticated', 'Send a bearer token, or the mfa_token of a sign-in.');
  }
  const { user, exclude } = await step.enrolling(tenant, mfaToken);
  return { tenant, enroller: { user, mfaToken, exclude } };
}
