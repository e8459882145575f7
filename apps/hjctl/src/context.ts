import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createControlPlaneClient,
  createDataPlaneClient,
  type ControlPlaneClient,
  type DataPlaneClient,
} from '@hellojohn/sdk';
import type { Io } from './io';

export interface GlobalOptions {
  url?: string;
  token?: string;
  apiKey?: string;
  json?: boolean;
}

interface SavedCredentials {
  url: string;
  token: string;
}

export function credentialsPath(io: Io): string {
  return join(io.env.HOME ?? '.', '.config', 'hellojohn', 'hjctl.json');
}

export function saveCredentials(io: Io, credentials: SavedCredentials): void {
  const path = credentialsPath(io);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
}

function savedCredentials(io: Io): SavedCredentials | undefined {
  try {
    return JSON.parse(readFileSync(credentialsPath(io), 'utf8')) as SavedCredentials;
  } catch {
    return undefined;
  }
}

/** The control-plane URL: `--url`, then HJCTL_URL, then the saved login, then the default. */
export function controlPlaneUrl(io: Io, options: GlobalOptions): string {
  return (
    options.url ??
    io.env.HJCTL_URL ??
    savedCredentials(io)?.url ??
    'http://localhost:8081'
  ).replace(/\/+$/, '');
}

/**
 * The bearer credential: `--api-key`, then `--token`, then HJCTL_API_KEY, then HJCTL_TOKEN, then
 * the token saved by `hjctl login`. An API key (`hjk_...`) suits automation: no password, no
 * 15-minute expiry.
 */
function adminToken(io: Io, options: GlobalOptions): string {
  const token =
    options.apiKey ??
    options.token ??
    io.env.HJCTL_API_KEY ??
    io.env.HJCTL_TOKEN ??
    savedCredentials(io)?.token;
  if (!token) {
    throw new Error('not signed in: run `hjctl login`, or set HJCTL_API_KEY or HJCTL_TOKEN');
  }
  return token;
}

/** An authenticated client, with the credential `adminToken` picks. */
export function authenticatedClient(io: Io, options: GlobalOptions): ControlPlaneClient {
  return createControlPlaneClient({
    baseUrl: controlPlaneUrl(io, options),
    token: adminToken(io, options),
  });
}

/**
 * One tenant's data plane, for the tenant-admin routes (`/v1/admin/...`), which take the same CP
 * admin token or API key. The URL: `--dp-url`, then HJCTL_DP_URL, then `http://localhost:8080`.
 */
export function tenantAdminClient(
  io: Io,
  options: GlobalOptions,
  tenant: string,
  dpUrl?: string,
): { dp: DataPlaneClient; token: string } {
  const baseUrl = (dpUrl ?? io.env.HJCTL_DP_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  return { dp: createDataPlaneClient({ baseUrl, tenant }), token: adminToken(io, options) };
}
