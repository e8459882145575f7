import { createHash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const MAGIC = '$1$';

function to64(value: number, count: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < count; i += 1) {
    out += ITOA64.charAt(v & 0x3f);
    v >>>= 6;
  }
  return out;
}

const md5 = (...parts: Buffer[]): Buffer => {
  const h = createHash('md5');
  for (const part of parts) h.update(part);
  return h.digest();
};

/**
 * Poul-Henning Kamp's MD5-crypt (`$1$salt$hash`, FreeBSD/glibc `crypt()`), written out because no
 * maintained npm package implements it and node:crypto has the MD5 it is built on. Only used to
 * verify hashes imported from legacy tables; never to make new ones.
 *
 * @returns the full `$1$<salt>$<22 characters>` string.
 */
export function md5Crypt(password: Buffer, rawSalt: string): string {
  const salt = Buffer.from(rawSalt.slice(0, 8), 'utf8');
  const magic = Buffer.from(MAGIC, 'utf8');
  const alternate = md5(password, salt, password);
  const ctx = createHash('md5').update(password).update(magic).update(salt);
  for (let left = password.length; left > 0; left -= 16) {
    ctx.update(alternate.subarray(0, Math.min(left, 16)));
  }
  // The historical quirk: a NUL byte for each set bit of the length, the first character otherwise.
  for (let bits = password.length; bits > 0; bits >>= 1) {
    ctx.update(bits & 1 ? Buffer.alloc(1) : password.subarray(0, 1));
  }
  let digest: Buffer = ctx.digest();
  for (let round = 0; round < 1000; round += 1) {
    const parts: Buffer[] = [round & 1 ? password : digest];
    if (round % 3 !== 0) parts.push(salt);
    if (round % 7 !== 0) parts.push(password);
    parts.push(round & 1 ? digest : password);
    digest = md5(...parts);
  }
  const byte = (i: number): number => digest[i] ?? 0;
  const groups: Array<[number, number, number]> = [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ];
  let encoded = '';
  for (const [a, b, c] of groups) encoded += to64((byte(a) << 16) | (byte(b) << 8) | byte(c), 4);
  encoded += to64(byte(11), 2);
  return `${MAGIC}${salt.toString('utf8')}$${encoded}`;
}
