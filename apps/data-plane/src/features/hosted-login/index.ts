import type { PasswordHasher } from '@hellojohn/tokens';
import { deriveSubkey } from '@hellojohn/tokens';
import type { PasswordAuthenticator } from '../../credentials/authenticate-password';
import type { Keyring } from '../../keys/keyring';
import type { ClientDirectory } from '../../oauth2/client-directory';
import type { TenantContext } from '../../tenancy/tenant-context';
import { createCsrf } from './csrf';
import { endSessionRoutes } from './end-session.routes';
import { createEndSessionService } from './end-session.service';
import { hostedLoginRoutes } from './hosted-login.routes';
import { createHostedLoginService, type HostedLoginService } from './hosted-login.service';
import { createSignUpService } from './sign-up.service';

/** The hosted login: `/oauth2/authorize`, the sign-in, sign-up and consent pages, end-session. */
export interface HostedLoginModule {
  service: HostedLoginService;
  endpoints: ReturnType<typeof hostedLoginRoutes> & ReturnType<typeof endSessionRoutes>;
}

export function createHostedLoginModule(deps: {
  clients: ClientDirectory;
  keyring: Keyring;
  passwords: PasswordAuthenticator;
  hashers: (cost: number) => PasswordHasher;
  masterKey: Buffer;
  /** Mails a new account its verification link (`require_email_verification`). */
  sendVerification?: (tenant: TenantContext, userId: string, locale: string) => Promise<void>;
}): HostedLoginModule {
  const service = createHostedLoginService({ clients: deps.clients, passwords: deps.passwords });
  // A key of its own: CSRF tokens can never be confused with anything else the master key signs.
  const csrf = createCsrf(deriveSubkey(deps.masterKey, 'hosted-login-csrf:data-plane'));
  const signUp = createSignUpService({
    hashers: deps.hashers,
    sendVerification: deps.sendVerification,
  });
  const endSession = createEndSessionService({ clients: deps.clients, keyring: deps.keyring });
  return {
    service,
    endpoints: {
      ...hostedLoginRoutes({ service, signUp, csrf }),
      ...endSessionRoutes({ service, endSession, csrf }),
    },
  };
}
