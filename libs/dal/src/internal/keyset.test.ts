import { createHmac, randomBytes } from 'node:crypto';
import { InvalidCursorError } from '../db-errors';
import { createCursorCodec } from './keyset';

/**
 * @see issue 15 (7): pagination cursors were plain base64url JSON, so a client could forge any
 * position. They now carry an HMAC under a key the DAL is given (derived from the plane's master
 * key); anything this codec did not issue is an `InvalidCursorError` (400 `invalid_cursor`).
 */
const KEY = {
  at: new Date('2030-01-02T03:04:05.678Z'),
  id: '0b5a6c1e-9f8e-4d3c-a2b1-0123456789ab',
};
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const flip = (text: string, at: number): string =>
  `${text.slice(0, at)}${ALPHABET.charAt(ALPHABET.indexOf(text.charAt(at)) ^ 1)}${text.slice(at + 1)}`;

function refused(decode: () => unknown): void {
  expect(decode).toThrow(InvalidCursorError);
}

describe('createCursorCodec', () => {
  const secret = randomBytes(32);
  const codec = createCursorCodec(secret);

  it('round-trips the keyset position', () => {
    const cursor = codec.encode(KEY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(512);
    expect(codec.decode(cursor)).toEqual(KEY);
    expect(createCursorCodec(Buffer.from(secret)).decode(cursor)).toEqual(KEY);
  });

  it('refuses a cursor with any character changed, or cut short', () => {
    const cursor = codec.encode(KEY);
    for (let at = 0; at < cursor.length; at += 1) refused(() => codec.decode(flip(cursor, at)));
    refused(() => codec.decode(cursor.slice(0, -1)));
    refused(() => codec.decode(cursor.slice(43)));
    refused(() => codec.decode(`${cursor}=`));
    refused(() => codec.decode(`${cursor}A`));
  });

  it('refuses a cursor signed with another key', () => {
    refused(() => codec.decode(createCursorCodec(randomBytes(32)).encode(KEY)));
  });

  it('refuses the old unsigned cursors, and well-signed content of the wrong shape', () => {
    const legacy = Buffer.from(JSON.stringify({ t: KEY.at.getTime(), i: KEY.id })).toString(
      'base64url',
    );
    refused(() => codec.decode(legacy));
    // Validly signed garbage (as if the key leaked) still fails the shape check, not the database.
    const json = Buffer.from(JSON.stringify({ t: 'soon', i: 1 }));
    const mac = createHmac('sha256', secret).update('hellojohn-cursor-v1').update(json).digest();
    refused(() => codec.decode(Buffer.concat([mac, json]).toString('base64url')));
    for (const junk of ['', '.', 'a.b.c', 'not a cursor', '\u0000.\u0000']) {
      refused(() => codec.decode(junk));
    }
  });

  it('without a secret, signs with a random per-process key', () => {
    const a = createCursorCodec(undefined);
    expect(a.decode(a.encode(KEY))).toEqual(KEY);
    refused(() => createCursorCodec(undefined).decode(a.encode(KEY)));
  });

  it('refuses a short secret', () => {
    expect(() => createCursorCodec(randomBytes(8))).toThrow(RangeError);
  });
});
