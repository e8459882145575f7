/**
 * The vectors both canonical-JWS checks are tested with: libs/tokens (the server's) and libs/sdk
 * (its own copy, because the SDK must not depend on server libraries).
 *
 * @see issue 15 (6): a token string has exactly one accepted spelling. Appending `==`, padding a
 * segment, or changing the unused low bits of a segment's last character decodes to the same bytes
 * in lenient decoders, so it used to be accepted as a second, different token string.
 */
export const CANONICAL_JWS: readonly string[] = [
  'eyJhbGciOiJFZERTQSJ9.e30.AQ',
  'eyJhbGciOiJFZERTQSJ9.e30.AAE',
  'eyJhbGciOiJFZERTQSJ9.e30.AAAA',
  'eyJhbGciOiJFZERTQSJ9.e30.-_8',
  'eyJhbGciOiJub25lIn0.e30.AQ',
  // An empty segment is the one spelling of zero bytes; jose refuses it (alg none, no header).
  'eyJhbGciOiJub25lIn0.e30.',
  '.e30.AQ',
];

/** Spellings no canonical-JWS check accepts, each with why. */
export const NOT_CANONICAL_JWS: ReadonlyArray<[string, string]> = [
  ['eyJhbGciOiJFZERTQSJ9.e30.AQ==', 'padding on the signature'],
  ['eyJhbGciOiJFZERTQSJ9=.e30.AQ', 'padding on the header'],
  ['eyJhbGciOiJFZERTQSJ9.e30=.AQ', 'padding on the payload'],
  ['eyJhbGciOiJFZERTQSJ9.e30.AR', 'unused low bits set (2 chars: 4 unused bits)'],
  ['eyJhbGciOiJFZERTQSJ9.e30.AAF', 'unused low bits set (3 chars: 2 unused bits)'],
  ['eyJhbGciOiJFZERTQSJ9.e31.AQ', 'unused low bits set in the payload'],
  ['eyJhbGciOiJub25lIn1.e30.AQ', 'unused low bits set in the header'],
  ['eyJhbGciOiJFZERTQSJ9.e30.A', 'a length that is 1 mod 4'],
  ['eyJhbGciOiJFZERTQSJ9.e30.+/8', 'the standard (not URL) alphabet'],
  ['eyJhbGciOiJFZERTQSJ9.e30.AQ ', 'trailing whitespace'],
  ['eyJhbGciOiJFZERTQSJ9.e30.A Q', 'inner whitespace'],
  ['eyJhbGciOiJFZERTQSJ9.e30', 'two segments'],
  ['eyJhbGciOiJFZERTQSJ9.e30.AQ.AQ', 'four segments'],
  ['', 'the empty string'],
  ['eyJhbGciOiJFZERTQSJ9.e30.AQ\n', 'a trailing newline'],
];

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The segment spelled with its last character's lowest unused bit flipped, if it has one. */
function withLowBitFlipped(segment: string): string | undefined {
  if (segment.length % 4 === 0) return undefined;
  const last = ALPHABET.indexOf(segment.slice(-1));
  return `${segment.slice(0, -1)}${ALPHABET.charAt(last ^ 1)}`;
}

/** Every respelling of `token` that lenient base64url decoders read as the same bytes. */
export function respellings(token: string): Array<[string, string]> {
  const segments = token.split('.');
  const out: Array<[string, string]> = [
    [`${token}==`, '`==` appended'],
    [`${token}=`, '`=` appended'],
    [`${token} `, 'a trailing space'],
  ];
  segments.forEach((segment, i) => {
    const flipped = withLowBitFlipped(segment);
    if (flipped === undefined) return;
    const copy = [...segments];
    copy[i] = flipped;
    out.push([copy.join('.'), `low bit of segment ${i} flipped`]);
    copy[i] = `${segment}${'='.repeat(4 - (segment.length % 4))}`;
    out.push([copy.join('.'), `segment ${i} padded`]);
  });
  return out;
}
