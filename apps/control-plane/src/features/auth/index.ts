import type { GlobalDb } from '@hellojohn/dal';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import { createAdminTokens } from './admin-tokens';
import { authRoutes } from './auth.routes';
import { createAuthService, type AuthService } from './auth.service';

export { revokeAdminTokens } from './revoke-admin-tokens';
export type { AuthService } from './auth.service';

/**
 * CP admin sign-in, sessions (refresh, sign-out) and the tokens they issue: the control plane's
 * own signing key and JWKS.
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
}): Promise<AuthModule> {
  const tokens = await createAdminTokens({
    db: deps.db,
    masterKey: deps.masterKey,
    issuer: deps.issuer,
    ttlSeconds: deps.ttlSeconds,
  });
  const service = createAuthService({
    db: deps.db,
    hasher: deps.hasher,
    tokens,
    onOutboxWrite: deps.onOutboxWrite,
    signInGuard: deps.signInGuard,
  });
  return { service, routes: authRoutes(service, tokens) };
}
