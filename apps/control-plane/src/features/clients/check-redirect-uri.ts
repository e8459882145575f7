/** How a redirect URI reaches the client, which decides who may register it. */
export type RedirectUriKind = 'https' | 'loopback' | 'private-use';

export type RedirectUriCheck = { ok: true; kind: RedirectUriKind } | { ok: false; reason: string };

export const MAX_REDIRECT_URI_LENGTH = 2000;
export const MAX_REDIRECT_URIS = 20;

// RFC 8252 §7.3 loopback redirects; `URL` lower-cases the host and keeps IPv6 in brackets.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// Whitespace and control characters would make the later exact-string match (RFC 6749 §3.1.2.3)
// disagree with what `URL` parsed, since `URL` silently strips them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here.
const UNSAFE_CHARACTERS = /[\s\u0000-\u001f\u007f]/;

// RFC 8252 §7.1: a private-use scheme is a reverse domain name the app controls, so it always
// has a dot. That excludes `javascript:`, `data:`, `file:` and every other browser-handled scheme.
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(?:\.[a-z0-9+-]+)+:$/;

/**
 * Checks the shape of one redirect URI, independently of the client that registers it:
 * an absolute URL without fragment (RFC 6749 §3.1.2) or credentials, that is `https`, `http` on
 * a loopback host (RFC 8252 §7.3), or a private-use scheme (RFC 8252 §7.1).
 *
 * @example
 * classifyRedirectUri('https://app.example.com/cb'); // { ok: true, kind: 'https' }
 * classifyRedirectUri('http://example.com/cb'); // { ok: false, reason: '...' }
 */
export function classifyRedirectUri(uri: string): RedirectUriCheck {
  if (uri.length > MAX_REDIRECT_URI_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_REDIRECT_URI_LENGTH} characters` };
  }
  if (UNSAFE_CHARACTERS.test(uri)) {
    return { ok: false, reason: 'must not contain whitespace or control characters' };
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  // Checked on the raw string: `URL` reports an empty fragment (`...#`) as no fragment at all.
  if (uri.includes('#')) return { ok: false, reason: 'must not contain a fragment' };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'must not contain credentials' };
  }
  if (url.protocol === 'https:') return { ok: true, kind: 'https' };
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? { ok: true, kind: 'loopback' }
      : { ok: false, reason: 'http is only allowed for localhost, 127.0.0.1 and [::1]' };
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return { ok: true, kind: 'private-use' };
  return {
    ok: false,
    reason: 'must use https, http on a loopback host, or a reverse-domain private-use scheme',
  };
}

/**
 * Whether a client of `clientType` may register `uri`, or why not. Private-use schemes are for
 * public clients only: any app on a device can claim a scheme (RFC 8252 §8.6), so such a
 * redirect proves nothing about who receives the code, and a confidential client (a server that
 * keeps a secret) never needs one.
 *
 * @example
 * redirectUriProblem('com.example.app:/cb', 'confidential'); // 'private-use schemes ...'
 */
export function redirectUriProblem(
  uri: string,
  clientType: 'public' | 'confidential',
): string | undefined {
  const check = classifyRedirectUri(uri);
  if (!check.ok) return check.reason;
  if (check.kind === 'private-use' && clientType !== 'public') {
    return 'private-use schemes are for public (native) clients only (RFC 8252 §7.1)';
  }
  return undefined;
}

/**
 * Why `uri` is not an absolute `https` URL without credentials, whitespace or control characters
 * (the client's logo and pages shown on the consent screen), or `undefined` when it is.
 *
 * @example
 * httpsUrlProblem('http://example.com/logo.png'); // 'must use https'
 */
export function httpsUrlProblem(uri: string): string | undefined {
  if (UNSAFE_CHARACTERS.test(uri)) return 'must not contain whitespace or control characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  return undefined;
}
