import { join } from 'node:path';

export interface SystemEnvOptions {
  dataDir: string;
  cpPort: number;
  dpPort: number;
  admin: { email: string; password: string };
}

/**
 * The environment both planes run on in tests and benchmarks: loopback ports, the first admin,
 * a cheap bcrypt cost, silent logs, and the embedded default (SQLite in `dataDir`, no broker)
 * unless `overrides` name real services.
 *
 * @example
 * const config = loadConfig(systemEnv({ dataDir, cpPort, dpPort, admin }, { HJ_RABBITMQ_URL: url }));
 */
export function systemEnv(
  options: SystemEnvOptions,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const { dataDir, cpPort, dpPort, admin } = options;
  return {
    NODE_ENV: 'test',
    HJ_DATA_DIR: dataDir,
    HJ_CP_DATABASE_URL: `sqlite:${join(dataDir, 'control-plane.db')}`,
    HJ_TENANT_DATABASE_URL: `sqlite:${join(dataDir, 'tenants')}`,
    HJ_CP_PORT: String(cpPort),
    HJ_DP_PORT: String(dpPort),
    HJ_HOST: '127.0.0.1',
    HJ_CP_URL: `http://127.0.0.1:${cpPort}`,
    HJ_PUBLIC_URL: `http://127.0.0.1:${dpPort}`,
    HJ_ADMIN_EMAIL: admin.email,
    HJ_ADMIN_PASSWORD: admin.password,
    HJ_BCRYPT_COST: '4',
    HJ_LOG_LEVEL: 'silent',
    ...overrides,
  };
}
