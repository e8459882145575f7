// The data plane's platform operations (docs/operations.md): routes that name no tenant, for
// operators whose grant covers every tenant. Wire types read from the OpenAPI document.
import type { paths } from '../generated/data-plane';
import { createHttpClient } from './http-client';
import type { Body, Item, Json, QueryOf } from './wire';

export type DeadLetterList = Json<paths['/v1/admin/ops/dead-letters']['get']>;
/** One dead-lettered event: its type, tenant, id, attempts and reason, never its payload. */
export type DeadLetter = Item<DeadLetterList>;
export type DeadLettersQuery = QueryOf<paths['/v1/admin/ops/dead-letters']['get']>;
export type ReplayDeadLettersInput = Body<paths['/v1/admin/ops/dead-letters/replay']['post']>;
export type DeadLetterReplay = Json<paths['/v1/admin/ops/dead-letters/replay']['post']>;

export interface DataPlaneOpsClientOptions {
  /** The data plane's public URL, e.g. `http://localhost:8080` (no `/t/{tenant}`). */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * The data plane's operator routes outside any tenant; `adminToken` is a CP admin token or API
 * key granted every tenant.
 *
 * @example
 * ```ts
 * const ops = createDataPlaneOpsClient({ baseUrl: 'http://localhost:8080' });
 * const { data } = await ops.deadLetters.list(apiKey, { limit: 20 });
 * ```
 */
export function createDataPlaneOpsClient(options: DataPlaneOpsClientOptions) {
  const send = createHttpClient({
    baseUrl: options.baseUrl,
    ...(options.fetch && { fetch: options.fetch }),
  });
  return {
    /** The provisioning dead-letter queue; in embedded mode always empty (`mode: in-process`). */
    deadLetters: {
      /** Reads without consuming. */
      list: (adminToken: string, query?: DeadLettersQuery) =>
        send<DeadLetterList>({
          method: 'GET',
          path: '/v1/admin/ops/dead-letters',
          token: adminToken,
          query: { ...query },
        }),
      /** Moves messages back to their exchange with a fresh attempt count (`confirm: true`). */
      replay: (adminToken: string, body: ReplayDeadLettersInput) =>
        send<DeadLetterReplay>({
          method: 'POST',
          path: '/v1/admin/ops/dead-letters/replay',
          token: adminToken,
          body,
        }),
    },
  };
}

export type DataPlaneOpsClient = ReturnType<typeof createDataPlaneOpsClient>;
