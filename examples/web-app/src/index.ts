export { createWebApp } from './app';
export { callbackUris, configFromEnv, DEFAULT_SCOPE } from './config';
export type { WebAppConfig } from './config';
export { startWebApp } from './server';
export type { RunningWebApp } from './server';
