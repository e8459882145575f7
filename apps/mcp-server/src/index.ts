export { parseConfig, McpConfigError } from './config';
export type { McpConfig } from './config';
export { startHttpServer } from './http-server';
export type { HttpServerOptions, RunningHttpServer } from './http-server';
export { allTools } from './tools';
export { stderrLog } from './log';
