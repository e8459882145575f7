import { createHash } from 'node:crypto';
import { createControlPlaneClient, HelloJohnApiError } from '@hellojohn/sdk';

/** How long an accepted bearer is trusted without asking the control plane again. */
const CACHE_MS = 30_000;
const CACHE_MAX = 1_000;

/**
 * Checks HTTP bearers (a CP admin token or an `hjk_` API key) with the control plane: a cheap
 * authenticated read (`GET /v1/tenants?limit=1`). 401 refuses; any other answer means the
 * control plane knows the credential (a 403 is a role too weak for that read, not a stranger).
 * Accepted bearers are remembered by their SHA-256 for 30 s, so a revoked token or key stops
 * working here within that time; refused ones are never cached. Fails closed: an unreachable
 * control plane refuses.
 */
export function bearerValidator(options: {
  cpUrl: string;
  fetch: typeof fetch;
  now?: () => number;
}): (token: string) => Promise<boolean> {
  const now = options.now ?? Date.now;
  const accepted = new Map<string, number>();

  return async (token) => {
    const key = createHash('sha256').update(token).digest('hex');
    const until = accepted.get(key);
    if (until !== undefined && until > now()) return true;
    accepted.delete(key);
    const cp = createControlPlaneClient({ baseUrl: options.cpUrl, token, fetch: options.fetch });
    try {
      await cp.tenants.list({ limit: 1 });
    } catch (error) {
      if (!(error instanceof HelloJohnApiError) || error.status === 401 || error.status >= 500) {
        return false;
      }
    }
    if (accepted.size >= CACHE_MAX) {
      const oldest = accepted.keys().next();
      if (!oldest.done) accepted.delete(oldest.value);
    }
    accepted.set(key, now() + CACHE_MS);
    return true;
  };
}

/** The bearer of an `Authorization` header (RFC 6750 §2.1), or undefined. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header ?? '');
  return match?.[1];
}
