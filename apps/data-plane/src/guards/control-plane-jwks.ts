import { AppError } from '@hellojohn/http';
import { parsePublicJwk, type PublicJwk } from '@hellojohn/tokens';
import { z } from 'zod';

const JwksDocument = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/**
 * The control plane's public keys (`{HJ_CP_URL}/.well-known/jwks.json`), cached. An unknown `kid`
 * refetches at most once per `cooldownMs` (a key rotated in), so random kids cannot make us
 * hammer the control plane. While it is unreachable, the cached keys keep working.
 */
export function createControlPlaneJwks(options: {
  cpUrl: string;
  ttlMs?: number;
  cooldownMs?: number;
  timeoutMs?: number;
}): (kid: string) => Promise<PublicJwk | undefined> {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  let keys: PublicJwk[] | undefined;
  let fetchedAt = 0;
  let inflight: Promise<PublicJwk[]> | undefined;

  async function fetchKeys(): Promise<PublicJwk[]> {
    try {
      const response = await fetch(`${options.cpUrl}/.well-known/jwks.json`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      });
      if (!response.ok) throw new Error(`control plane JWKS answered ${response.status}`);
      const document = JwksDocument.parse(await response.json());
      keys = document.keys.flatMap((jwk) => {
        try {
          return [parsePublicJwk(jwk)];
        } catch {
          return [];
        }
      });
      return keys;
    } catch (error) {
      if (keys) return keys;
      throw new AppError('service_unavailable', 'The control plane keys are unavailable.', {
        cause: error,
        headers: { 'Retry-After': '5' },
      });
    } finally {
      fetchedAt = Date.now();
    }
  }

  function refresh(): Promise<PublicJwk[]> {
    inflight ??= fetchKeys().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return async function controlPlaneKey(kid) {
    const age = Date.now() - fetchedAt;
    const current = keys && age < ttlMs ? keys : await refresh();
    const known = current.find((key) => key.kid === kid);
    if (known || Date.now() - fetchedAt < cooldownMs) return known;
    return (await refresh()).find((key) => key.kid === kid);
  };
}
