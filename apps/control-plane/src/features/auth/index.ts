import type { GlobalDb } from '@hellojohn/dal';
import type { PasswordHasher } from '@hellojohn/tokens';
import { noAdminSignInGuard, type AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import { createAdminTokens } from './admin-tokens';
import { createAdminTotpService } from './admin-totp.service';
import { authRoutes } from './auth.routes';
import { createAuthService, type AuthService } from './auth.service';
import { createTotpCodes } from './totp-codes';

export { revokeAdminTokens } from './revoke-admin-tokens';
export type { AuthService } from './auth.service';

/**
 * CP admin sign-in (with an optional authenticator: TOTP and recovery codes), invitation
 * acceptance, sessions (refresh, sign-out) and the tokens they issue: the control plane's own
 * signing key and JWKS.
 */
export interface AuthModule {
  service: AuthService;
  routes: ReturnType<typeof authRoutes>;
}

/** Loads (or, on first start, creates) the admin-token signing key, hence async. */
export async function createAuthModule(deps: {
  db: GlobalDb;
  hasher: PasswordHasher;
  masterKey: Buffer;
  issuer: string;
  ttlSeconds: number;
  /** Called after a commit that wrote to the outbox (a revocation's event). */
  onOutboxWrite?: () => void;
  /** Per-account sign-in limits; none by default. */
  signInGuard?: AdminSignInGuard | undefined;
  /**
   * Limits on second-factor codes, per admin: counters of their own, cleared only by a right
   * code; none by default.
   */
  codeGuard?: AdminSignInGuard | undefined;
}): Promise<AuthModule> {
  const tokens = await createAdminTokens({
    db: deps.db,
    masterKey: deps.masterKey,
    issuer: deps.issuer,
    ttlSeconds: deps.ttlSeconds,
  });
  const totp = createAdminTotpService({
    db: deps.db,
    codes: createTotpCodes(deps.masterKey),
    codeGuard: deps.codeGuard ?? noAdminSignInGuard,
  });
  const service = createAuthService({
    db: deps.db,
    hasher: deps.hasher,
    tokens,
    onOutboxWrite: deps.onOutboxWrite,
    signInGuard: deps.signInGuard,
    totp,
  });
  return { service, routes: authRoutes(service, tokens, totp) };
}
