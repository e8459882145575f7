/** How many CORS origins one client may list. */
export const MAX_ALLOWED_ORIGINS = 50;
/** A scheme, a host of at most 253 characters and a port fit well within this. */
export const MAX_ORIGIN_LENGTH = 300;

export type OriginCheck = { ok: true; origin: string } | { ok: false; reason: string };

// The same loopback hosts as redirect URIs (RFC 8252 §7.3); `URL` lower-cases the host.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// scheme "://" authority, and nothing after it: no path (not even "/"), query or fragment.
const ORIGIN_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+$/;

/**
 * Checks one CORS origin a client lists, and returns it as browsers send it in `Origin`
 * (RFC 6454 §6.2): scheme and host lower-cased, a default port dropped
 * (`HTTPS://App.Example.com:443` -> `https://app.example.com`), so the data plane can compare
 * strings. `https`, or `http` on a loopback host; no path, query, fragment, credentials or
 * wildcard.
 *
 * @example
 * checkOrigin('https://App.example.com'); // { ok: true, origin: 'https://app.example.com' }
 * checkOrigin('https://*.example.com'); // { ok: false, reason: '...' }
 */
export function checkOrigin(value: string): OriginCheck {
  if (value.length > MAX_ORIGIN_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_ORIGIN_LENGTH} characters` };
  }
  if (value.includes('*')) {
    return { ok: false, reason: 'must not contain a wildcard: list each origin' };
  }
  if (!ORIGIN_SHAPE.test(value)) {
    return {
      ok: false,
      reason: 'must be an origin: scheme://host[:port], without path, query or fragment',
    };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'must be an origin: scheme://host[:port]' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'must not contain credentials' };
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: false, reason: 'http is only allowed for localhost, 127.0.0.1 and [::1]' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'must use https (or http on a loopback host)' };
  }
  return { ok: true, origin: url.origin };
}
