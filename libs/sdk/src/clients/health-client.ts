// `GET /healthz` and `GET /readyz` of either plane (libs/http health.ts). They are operational
// routes, outside the OpenAPI documents, so their small shapes are written out here.

/** `GET /healthz`: the process answers. */
export interface Liveness {
  status: string;
}

/** One dependency of `GET /readyz`. */
export interface ReadinessCheckResult {
  status: 'up' | 'down';
  detail?: unknown;
  error?: string;
}

/** `GET /readyz`: 200 `ready` when every dependency answers, else 503 `not_ready`. */
export interface Readiness {
  status: string;
  checks: Record<string, ReadinessCheckResult>;
}

/** What one plane answered, or why it could not be reached. */
export interface ServiceHealth {
  url: string;
  live: boolean;
  ready: boolean;
  readiness: Readiness | null;
  /** Set when the service could not be reached at all. */
  error?: string;
}

async function getJson(
  doFetch: typeof fetch,
  url: string,
): Promise<{ status: number; body: unknown }> {
  const response = await doFetch(url, { headers: { accept: 'application/json' } });
  const text = await response.text();
  try {
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  } catch {
    return { status: response.status, body: text };
  }
}

function isReadiness(value: unknown): value is Readiness {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'string' &&
    typeof (value as { checks?: unknown }).checks === 'object'
  );
}

/**
 * Probes a plane's `/healthz` and `/readyz`. A 503 from `/readyz` is an answer (the failing
 * dependencies are named), not an error; an unreachable service resolves with `error` set.
 *
 * @example
 * ```ts
 * const health = await readServiceHealth('http://localhost:8081');
 * if (!health.ready) console.log(health.readiness?.checks);
 * ```
 */
export async function readServiceHealth(
  baseUrl: string,
  options: { fetch?: typeof fetch } = {},
): Promise<ServiceHealth> {
  const url = baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const [live, ready] = await Promise.all([
      getJson(doFetch, `${url}/healthz`),
      getJson(doFetch, `${url}/readyz`),
    ]);
    const readiness = isReadiness(ready.body) ? ready.body : null;
    return { url, live: live.status === 200, ready: ready.status === 200, readiness };
  } catch (error) {
    return {
      url,
      live: false,
      ready: false,
      readiness: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
