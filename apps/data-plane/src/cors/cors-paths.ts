/** A request path a browser may call cross-origin, and the tenant it belongs to. */
export interface CorsPath {
  /** The tenant's slug or id, as the path names it. */
  tenant: string;
  /** What a preflight for this path answers in `Access-Control-Allow-Methods`. */
  methods: string;
}

// The same shape resolveTenant accepts: anything else names no tenant (no CORS).
const TENANT = '([A-Za-z0-9-]{1,63})';

/**
 * The paths CORS is answered on (docs/oidc.md, "CORS"): an allowlist, so a path not listed here
 * (the authorize endpoint, the hosted login pages and end-session, RFC 9700 §2.6; the root-level
 * `/v1/...` API, whose tenant comes from a header a preflight does not carry) never gets
 * `Access-Control-*` headers. Matched case-sensitively and exactly, as browsers send them: a path
 * spelt otherwise gets no CORS, which fails closed.
 */
const CORS_PATHS: readonly { pattern: RegExp; methods: string }[] = [
  {
    pattern: new RegExp(`^/t/${TENANT}/\\.well-known/(?:openid-configuration|jwks\\.json)$`),
    methods: 'GET',
  },
  {
    pattern: new RegExp(`^/\\.well-known/oauth-authorization-server/t/${TENANT}$`),
    methods: 'GET',
  },
  { pattern: new RegExp(`^/t/${TENANT}/oauth2/(?:token|revoke|introspect)$`), methods: 'POST' },
  { pattern: new RegExp(`^/t/${TENANT}/userinfo$`), methods: 'GET, POST' },
  { pattern: new RegExp(`^/t/${TENANT}/v1/`), methods: 'GET, POST, PUT, PATCH, DELETE' },
];

/**
 * The CORS path `path` is, or `undefined` when CORS is never answered there.
 *
 * @example
 * corsPathOf('/t/acme/oauth2/token'); // { tenant: 'acme', methods: 'POST' }
 * corsPathOf('/t/acme/oauth2/authorize'); // undefined
 */
export function corsPathOf(path: string): CorsPath | undefined {
  // Cheap first cut: every CORS path starts with one of these two prefixes.
  if (!path.startsWith('/t/') && !path.startsWith('/.well-known/')) return undefined;
  for (const { pattern, methods } of CORS_PATHS) {
    const match = pattern.exec(path);
    if (match?.[1] !== undefined) return { tenant: match[1], methods };
  }
  return undefined;
}
