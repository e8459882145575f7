import type * as oidc from 'openid-client';
import type { CheckedConfig } from './config';
import type { SessionStore } from './session-store';

/** What every route handler works with; built once by `createWebApp`. */
export interface AppContext {
  config: CheckedConfig;
  redirectUri: string;
  postLogoutRedirectUri: string;
  sessions: SessionStore;
  /** The tenant's discovered configuration (see identity-provider.ts). */
  provider: () => Promise<oidc.Configuration>;
}
