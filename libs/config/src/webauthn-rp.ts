import { isIP } from 'node:net';

/** A DNS name in lowercase: labels of letters, digits and inner hyphens, dot-separated. */
const HOSTNAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Whether `rpId` may serve as the WebAuthn relying-party ID for pages served from `origin`: the
 * origin's host equals it, or is a subdomain of it (WebAuthn §5.1.3 / HTML "is a registrable
 * domain suffix of or is equal to"). Without the Public Suffix List, a bare top-level label
 * (`com`) is refused unless it is the host itself (`localhost`); an IP address only matches itself.
 * A browser refuses a public suffix such as `co.uk` anyway, so the check errs on the safe side.
 *
 * @example
 * rpIdFitsOrigin('example.com', 'https://login.example.com'); // true
 * rpIdFitsOrigin('example.com', 'https://example.org'); // false
 */
export function rpIdFitsOrigin(rpId: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (rpId === host) return true;
  if (isIP(rpId) !== 0 || isIP(host) !== 0) return false;
  if (!HOSTNAME.test(rpId) || !rpId.includes('.')) return false;
  return host.endsWith(`.${rpId}`);
}

/**
 * A WebAuthn origin as browsers put it in clientDataJSON: `scheme://host[:port]`, no path, and
 * `https` except on localhost (WebAuthn needs a secure context). Returns the normalised origin,
 * or undefined when `value` is not one.
 */
export function webauthnOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) return undefined;
  if (url.protocol === 'https:') return url.origin;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback ? url.origin : undefined;
}

/** The problems of an RP ID and its origins (empty when they fit together), for messages. */
export function relyingPartyIssues(rpId: string, origins: readonly string[]): string[] {
  const issues: string[] = [];
  if (rpId !== rpId.toLowerCase() || !(HOSTNAME.test(rpId) || isIP(rpId) !== 0)) {
    issues.push(`"${rpId.slice(0, 60)}" is not a lowercase host name`);
    return issues;
  }
  for (const origin of origins) {
    if (!rpIdFitsOrigin(rpId, origin)) {
      issues.push(`"${rpId}" is not the host of ${origin.slice(0, 100)} nor a parent domain of it`);
    }
  }
  return issues;
}
