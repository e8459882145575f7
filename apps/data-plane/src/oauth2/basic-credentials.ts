/** What a request's `Authorization` header says about client authentication. */
export type PresentedAuthorization =
  | { kind: 'absent' }
  | { kind: 'basic'; clientId: string; secret: string }
  /** `Basic`, but not decodable into an id and a secret. */
  | { kind: 'malformed'; reason: string }
  /** Another scheme (`Bearer`, ...): not a client authentication method of ours. */
  | { kind: 'other-scheme' };

/** RFC 9110 §11.4: `auth-scheme [ 1*SP token68 ]`; schemes are case-insensitive. */
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]+(\S*))?[ \t]*$/;
/** RFC 7617 §2: base64 (RFC 4648 §4), padding optional as many clients leave it out. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** RFC 6749 Appendix A.1/A.2: client_id and client_secret are VSCHARs. */
const VSCHAR = /^[\x20-\x7e]*$/;

/**
 * RFC 6749 §2.3.1 / Appendix B: the id and the secret are form-urlencoded before they are joined
 * with `:` and base64-encoded, so `+` is a space and `%XX` an octet of UTF-8.
 */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

function base64Decodes(value: string): boolean {
  if (!BASE64.test(value)) return false;
  const data = value.replace(/=+$/, '');
  // Padding, when present, must complete the last quantum; one leftover character never can.
  if (data.length % 4 === 1) return false;
  return value.length === data.length || value.length % 4 === 0;
}

/**
 * Reads `client_secret_basic` credentials (RFC 6749 §2.3.1) from an `Authorization` header.
 *
 * @example
 * parseBasicAuthorization('Basic ' + btoa('hjc_a%2Bb:s3cr%3At')); // { kind: 'basic', clientId: 'hjc_a+b', secret: 's3cr:t' }
 */
export function parseBasicAuthorization(header: string | undefined): PresentedAuthorization {
  if (header === undefined) return { kind: 'absent' };
  const match = CREDENTIALS.exec(header);
  if (!match || match[1]?.toLowerCase() !== 'basic') return { kind: 'other-scheme' };
  const token = match[2] ?? '';
  if (!base64Decodes(token)) {
    return { kind: 'malformed', reason: 'The Basic credentials are not base64.' };
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed', reason: 'The Basic credentials have no colon.' };
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) {
    return {
      kind: 'malformed',
      reason: 'The Basic credentials are not form-urlencoded (RFC 6749 §2.3.1).',
    };
  }
  if (!VSCHAR.test(clientId) || !VSCHAR.test(secret)) {
    return { kind: 'malformed', reason: 'The client_id or client_secret has invalid characters.' };
  }
  if (clientId === '')
    return { kind: 'malformed', reason: 'The Basic credentials name no client.' };
  return { kind: 'basic', clientId, secret };
}
