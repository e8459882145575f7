import { AppError } from '@hellojohn/http';
import { sha256Hex } from '@hellojohn/tokens';
import type { ControlPlaneOperatorsClient, VerifiedApiKey } from '../tenancy/control-plane-client';

/** How long an answer of the control plane stands, and how long it may stand in for an outage. */
export interface ApiKeyCachePolicy {
  /** A key checked this recently is not checked again (default 30 s). */
  freshMs: number;
  /** While the control plane is unreachable, a key checked this recently still passes (5 min). */
  staleMs: number;
  /** An unknown key is refused without asking again for this long (5 s). */
  negativeMs: number;
  /** Entries kept at most (oldest dropped first). */
  maxEntries: number;
}

const DEFAULTS: ApiKeyCachePolicy = {
  freshMs: 30_000,
  staleMs: 5 * 60_000,
  negativeMs: 5_000,
  maxEntries: 10_000,
};

interface Entry {
  key: VerifiedApiKey | undefined;
  checkedAt: number;
}

/** Checks `hjk_` API keys against the control plane, with a short cache revocations empty. */
export interface ApiKeyVerifier {
  /** The key's grant, or 401 `invalid_token`; 503 when the control plane cannot tell. */
  verify(key: string, ip: string | null): Promise<VerifiedApiKey>;
  /** Forgets every cached answer about the key (`api_key.revoked`). */
  revoke(apiKeyId: string): void;
  /** Forgets everything (after a broker gap, when revocations may have been missed). */
  clear(): void;
}

const invalid = (): AppError =>
  new AppError('invalid_token', 'The API key is invalid, expired or revoked.', {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * The data plane's view of API keys: the control plane's internal API decides, its answers are
 * cached by the key's SHA-256 (never the key), and `api_key.revoked` drops them at once. While
 * the control plane is unreachable, a key it confirmed within `staleMs` keeps working and any
 * other key is refused with 503 (fail closed).
 *
 * @example
 * const keys = createApiKeyVerifier({ client: createControlPlaneOperatorsClient(options) });
 * const grant = await keys.verify(token, req.ip ?? null);
 */
export function createApiKeyVerifier(options: {
  client: ControlPlaneOperatorsClient;
  policy?: Partial<ApiKeyCachePolicy>;
  now?: () => number;
}): ApiKeyVerifier {
  const policy = { ...DEFAULTS, ...options.policy };
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  // When each key id was last revoked: an answer asked for before then is not to be believed.
  const revokedAt = new Map<string, number>();

  function usable(grant: VerifiedApiKey | undefined): grant is VerifiedApiKey {
    if (!grant) return false;
    if (grant.valid_until !== null && Date.parse(grant.valid_until) <= now()) return false;
    return true;
  }

  function remember(hash: string, entry: Entry): void {
    entries.delete(hash);
    entries.set(hash, entry);
    if (entries.size > policy.maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
  }

  return {
    async verify(key, ip) {
      const hash = sha256Hex(key);
      const cached = entries.get(hash);
      const age = cached ? now() - cached.checkedAt : Infinity;
      if (cached && age < (cached.key ? policy.freshMs : policy.negativeMs)) {
        if (usable(cached.key)) return cached.key;
        throw invalid();
      }
      const askedAt = now();
      let answer: VerifiedApiKey | undefined;
      try {
        answer = await options.client.verifyApiKey(key, ip);
      } catch (error) {
        if (cached?.key && age < policy.staleMs && usable(cached.key)) return cached.key;
        throw new AppError('service_unavailable', 'API keys cannot be checked right now.', {
          cause: error,
          headers: { 'Retry-After': '5' },
        });
      }
      if (answer && (revokedAt.get(answer.id) ?? -Infinity) >= askedAt) answer = undefined;
      remember(hash, { key: answer, checkedAt: askedAt });
      if (usable(answer)) return answer;
      throw invalid();
    },
    revoke(apiKeyId) {
      revokedAt.set(apiKeyId, now());
      for (const [hash, entry] of entries) {
        if (entry.key?.id === apiKeyId) entries.delete(hash);
      }
      // Only in-flight checks need the mark, and none outlives a request timeout.
      for (const [id, at] of revokedAt) if (now() - at > policy.freshMs) revokedAt.delete(id);
    },
    clear() {
      entries.clear();
    },
  };
}
