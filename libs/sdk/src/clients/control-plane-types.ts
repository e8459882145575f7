// Mirrors of the control plane's zod schemas (apps/control-plane/src/schemas), kept by hand so
// the SDK stays dependency-free; the field names are the wire names (design.md §4).
import type { PageQuery } from './page';

export interface AdminToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export type AdminRole = 'owner' | 'viewer';

export interface Admin {
  id: string;
  email: string;
  role: AdminRole;
  created_at: string;
}

export interface CreateAdminInput {
  email: string;
  password: string;
  role?: AdminRole;
}

export type TenantStatus = 'provisioning' | 'active' | 'failed' | 'deleting';

export type TenantDatabaseInput =
  { mode: 'managed' } | { mode: 'external'; driver: 'pg' | 'mysql'; dsn: string };

/** Tenant settings (validated by the service; see docs/configuration.md). */
export interface TenantSettings {
  sign_up_enabled?: boolean;
  access_token_ttl?: number;
  refresh_token_ttl?: number;
  password_policy?: { min_length?: number; max_length?: number };
  bcrypt_cost?: number;
  [setting: string]: unknown;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  status_reason: string | null;
  issuer: string;
  database: { mode: 'managed' | 'external'; driver: string | null; dsn: string | null };
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface CreateTenantInput {
  slug: string;
  name: string;
  database?: TenantDatabaseInput;
  settings?: TenantSettings;
}

export interface UpdateTenantInput {
  name?: string;
  /** Replaces the settings object as a whole. */
  settings?: TenantSettings;
}

export interface ListTenantsQuery extends PageQuery {
  status?: TenantStatus;
}

export interface KeyRotationAccepted {
  tenant_id: string;
  status: 'rotation_requested';
}

export type ClientType = 'public' | 'confidential';
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface OAuthClient {
  client_id: string;
  name: string;
  type: ClientType;
  redirect_uris: string[];
  grant_types: GrantType[];
  scopes: string[];
  created_at: string;
  updated_at: string;
}

export interface CreatedOAuthClient extends OAuthClient {
  /** Confidential clients only; shown once. */
  client_secret?: string;
}

export interface CreateClientInput {
  name: string;
  type: ClientType;
  redirect_uris?: string[];
  grant_types: GrantType[];
  scopes?: string[];
}

export interface UpdateClientInput {
  name?: string;
  redirect_uris?: string[];
  grant_types?: GrantType[];
  scopes?: string[];
}

export interface ClientSecret {
  client_id: string;
  client_secret: string;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  request_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
  created_at: string;
}

export interface AuditLogQuery extends PageQuery {
  actor?: string;
  action?: string;
  target?: string;
}
