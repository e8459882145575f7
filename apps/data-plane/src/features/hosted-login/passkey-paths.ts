import type { TenantContext } from '../../tenancy/tenant-context';
import { pathsOf } from './page-context';

/** The passkey routes of the hosted login, under its sign-in page's path. */
export interface PasskeyPaths {
  signIn: string;
  signInOptions: string;
  enrol: string;
  enrolOptions: string;
  /** The MFA page's passkey options. */
  factorOptions: string;
}

export function passkeyPathsOf(tenant: TenantContext): PasskeyPaths {
  const login = pathsOf(tenant).login;
  return {
    signIn: `${login}/passkey`,
    signInOptions: `${login}/passkey/options`,
    enrol: `${login}/passkey/enrol`,
    enrolOptions: `${login}/passkey/enrol/options`,
    factorOptions: `${login}/mfa/passkey/options`,
  };
}
