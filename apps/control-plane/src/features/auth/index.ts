import type { GlobalDb } from '@hellojohn/dal';
import type { PasswordHasher } from '@hellojohn/tokens';
import type { AdminSignInGuard } from '../../abuse/admin-sign-in-guard';
import { createAdminTokens } from './admin-tokens';
import { authRoutes } from './auth.routes';
import { createAuthService, type AuthService } from './auth.service';

/** CP admin sign-in and the tokens it issues: the control plane's own signing key and JWKS. */
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
    admins: deps.db.admins,
    hasher: deps.hasher,
    tokens,
    signInGuard: deps.signInGuard,
  });
  return { service, routes: authRoutes(service, tokens) };
}
