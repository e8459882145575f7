import { relyingPartyIssues } from '@hellojohn/config';
import type { TenantContext } from '../../tenancy/tenant-context';

/** Who passkeys are created for and which pages may use them (docs/mfa.md, "Passkeys"). */
export interface RelyingParty {
  /** The RP ID: a host name every origin is, or is a subdomain of. Passkeys are bound to it. */
  id: string;
  /** Shown by authenticators: the tenant's name. */
  name: string;
  /** Origins accepted in clientDataJSON. */
  origins: readonly string[];
}

/** The deployment-wide defaults: `HJ_WEBAUTHN_RP_ID` / `HJ_WEBAUTHN_ORIGINS`, else `HJ_PUBLIC_URL`. */
export interface RelyingPartyDefaults {
  publicUrl: string;
  rpId?: string | undefined;
  origins?: readonly string[] | undefined;
}

/**
 * The tenant's relying party: its settings' `webauthn.rp_id` / `origins` over the deployment's.
 * A tenant RP ID that does not fit the origins it ends up with (possible when it overrides only
 * one of the two, as the control plane cannot check the data plane's defaults) is a configuration
 * error: passkeys then fail loudly rather than being bound to an RP ID the tenant did not choose.
 */
export function createRelyingParties(defaults: RelyingPartyDefaults) {
  const publicUrl = new URL(defaults.publicUrl);
  const defaultId = defaults.rpId ?? publicUrl.hostname;
  const defaultOrigins = defaults.origins ?? [publicUrl.origin];
  return function relyingPartyOf(tenant: TenantContext): RelyingParty {
    const id = tenant.policy.webauthnRpId ?? defaultId;
    const origins = tenant.policy.webauthnOrigins ?? defaultOrigins;
    if (tenant.policy.webauthnRpId !== null || tenant.policy.webauthnOrigins !== null) {
      const issues = relyingPartyIssues(id, origins);
      if (issues.length > 0) {
        throw new Error(`Tenant ${tenant.config.slug}: webauthn settings: ${issues.join('; ')}`);
      }
    }
    return { id, name: tenant.config.name, origins };
  };
}

export type RelyingParties = ReturnType<typeof createRelyingParties>;
