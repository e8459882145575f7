import {
  createControlPlaneClient,
  createDataPlaneClient,
  createDataPlaneOpsClient,
  type ControlPlaneClient,
  type DataPlaneClient,
  type DataPlaneOpsClient,
} from '@hellojohn/sdk';

/** Everything a tool reaches the planes with, bound to one credential. */
export interface ToolContext {
  cp: ControlPlaneClient;
  /** The data plane, for one tenant (slug or id). */
  dp: (tenant: string) => DataPlaneClient;
  /** The data plane's platform operations (no tenant): the dead-letter queue. */
  ops: DataPlaneOpsClient;
  /** The CP admin token or API key: the bearer of the data plane's tenant-admin routes too. */
  token: () => Promise<string>;
  cpUrl: string;
  publicUrl: string;
  /** The actor-marking fetch every call goes through (actor-fetch.ts). */
  fetch: typeof fetch;
}

export function createToolContext(options: {
  cpUrl: string;
  publicUrl: string;
  token: () => Promise<string>;
  fetch: typeof fetch;
}): ToolContext {
  return {
    cp: createControlPlaneClient({
      baseUrl: options.cpUrl,
      getToken: options.token,
      fetch: options.fetch,
    }),
    dp: (tenant) =>
      createDataPlaneClient({ baseUrl: options.publicUrl, tenant, fetch: options.fetch }),
    ops: createDataPlaneOpsClient({ baseUrl: options.publicUrl, fetch: options.fetch }),
    token: options.token,
    cpUrl: options.cpUrl,
    publicUrl: options.publicUrl,
    fetch: options.fetch,
  };
}
