const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * True when `given` is one of the client's registered redirect URIs: compared as strings, exactly
 * (RFC 9700 §2.1, §4.1.3), except that a registered `http://127.0.0.1` or `http://[::1]` URI
 * matches any port, for native apps that listen on an ephemeral one (RFC 8252 §7.3).
 *
 * @example
 * matchesRedirectUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:51004/cb'); // true
 */
export function matchesRedirectUri(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  const candidate = parse(given);
  if (candidate?.protocol !== 'http:' || !LOOPBACK_HOSTS.has(candidate.hostname)) return false;
  // A port changes nothing else: the rest must read as registered (no credentials, no fragment).
  const withoutPort = new URL(candidate.href);
  withoutPort.port = '';
  return registered.some((uri) => {
    const stored = parse(uri);
    if (stored?.protocol !== 'http:' || !LOOPBACK_HOSTS.has(stored.hostname)) return false;
    stored.port = '';
    return (
      stored.href === withoutPort.href &&
      candidate.username === '' &&
      candidate.password === '' &&
      candidate.hash === '' &&
      !given.includes('#')
    );
  });
}

/** The origin a redirect URI sends the browser to (for CSP `form-action`). */
export function originOf(uri: string): string | undefined {
  const url = parse(uri);
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : undefined;
}
