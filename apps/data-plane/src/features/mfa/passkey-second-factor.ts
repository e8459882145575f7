import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { TenantContext } from '../../tenancy/tenant-context';

/**
 * What the MFA step needs from passkeys to use one as a second factor. The passkeys feature
 * implements it; the composition root hands it to the MFA step, so neither feature reaches into
 * the other's files.
 */
export interface PasskeySecondFactor {
  /** Request options for a second-factor check: allowCredentials = the user's passkeys; stores the challenge. */
  options(tenant: TenantContext, userId: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** Verifies an assertion against a live challenge of this user, consumes it, updates sign count/backup state. */
  verify(
    tenant: TenantContext,
    userId: string,
    response: unknown,
  ): Promise<{ ok: true; factorId: string; userVerified: boolean } | { ok: false }>;
}
