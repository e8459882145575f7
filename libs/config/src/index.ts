export { loadConfig, ConfigError } from './load-config';
export type { Config, ConfigIssue } from './load-config';
export { envSchema } from './schema';
export type { Env } from './schema';
