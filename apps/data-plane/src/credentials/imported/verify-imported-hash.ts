import { createCipheriv, createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { ImportedPassword } from '@hellojohn/dal';
import { verifyForeignBcrypt } from '@hellojohn/tokens';
import { verify as argon2Verify } from '@node-rs/argon2';
import { md5Crypt } from './md5-crypt';

const pbkdf2Async = promisify(pbkdf2);

function scryptAsync(
  password: Buffer,
  salt: Buffer,
  length: number,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  // scrypt needs 128·N·r bytes (plus p blocks); Node refuses above `maxmem` (32 MiB by default).
  const maxmem = 128 * cost.N * cost.r + 128 * cost.r * cost.p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { ...cost, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Constant time for equal lengths; a length is not a secret (it comes with the algorithm). */
function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const num = (params: Record<string, unknown>, name: string): number => Number(params[name]);
const bin = (params: Record<string, unknown>, name: string): Buffer =>
  Buffer.from(typeof params[name] === 'string' ? params[name] : '', 'base64');

/**
 * Whether `password` matches a hash brought in by an import, with the algorithm that made it
 * (node:crypto, bcrypt, @node-rs/argon2). `keyOf` opens a sealed project key (Firebase's
 * signer key) by id. False for anything unreadable: a sign-in must never 500 on an odd row.
 *
 * Every costly check runs off the event loop (libuv's thread pool): bcrypt and argon2 are native
 * and async, scrypt and PBKDF2 use node:crypto's callback forms. Only the cheap ones run inline:
 * one salted SHA-2 digest, or MD5-crypt's 1000 MD5 rounds (well under a millisecond).
 */
export async function verifyImportedHash(
  password: string,
  stored: ImportedPassword,
  keyOf: (id: string) => Promise<Buffer | undefined>,
): Promise<boolean> {
  const { params } = stored;
  const pw = text(password);
  const expected = (): Buffer => Buffer.from(stored.hash, 'base64');
  try {
    switch (stored.algorithm) {
      case 'bcrypt':
        return await verifyForeignBcrypt(password, stored.hash);
      case 'argon2id':
      case 'argon2i':
        // The PHC string carries the variant, version, costs and salt. (node:crypto has no
        // argon2 before Node 24.) Native, on a libuv thread: a 64 MiB argon2 costs the event
        // loop nothing, where a WebAssembly one would hold it for its whole run.
        return await argon2Verify(stored.hash, password);
      case 'scrypt': {
        const want = expected();
        const cost = { N: num(params, 'n'), r: num(params, 'r'), p: num(params, 'p') };
        return same(await scryptAsync(pw, bin(params, 'salt'), want.length, cost), want);
      }
      case 'firebase-scrypt': {
        // Firebase's modified scrypt: scrypt(password, salt + separator, N = 2^mem_cost, r =
        // rounds, p = 1), whose first 32 bytes key AES-256-CTR (zero IV) over the signer key.
        const keyId = params['key_id'];
        const signer = typeof keyId === 'string' ? await keyOf(keyId) : undefined;
        if (!signer) return false;
        const salt = Buffer.concat([bin(params, 'salt'), bin(params, 'salt_separator')]);
        const cost = { N: 2 ** num(params, 'mem_cost'), r: num(params, 'rounds'), p: 1 };
        const derived = await scryptAsync(pw, salt, 32, cost);
        const cipher = createCipheriv('aes-256-ctr', derived, Buffer.alloc(16));
        return same(Buffer.concat([cipher.update(signer), cipher.final()]), expected());
      }
      case 'pbkdf2-sha1':
      case 'pbkdf2-sha256':
      case 'pbkdf2-sha512': {
        const want = expected();
        const digest = stored.algorithm.slice('pbkdf2-'.length);
        const got = await pbkdf2Async(
          pw,
          bin(params, 'salt'),
          num(params, 'iterations'),
          want.length,
          digest,
        );
        return same(got, want);
      }
      case 'sha256-salted':
      case 'sha512-salted': {
        const salt = bin(params, 'salt');
        const parts = params['order'] === 'salt_password' ? [salt, pw] : [pw, salt];
        const h = createHash(stored.algorithm === 'sha256-salted' ? 'sha256' : 'sha512');
        for (const part of parts) h.update(part);
        return same(h.digest(), expected());
      }
      case 'md5-crypt': {
        const salt = stored.hash.split('$')[2] ?? '';
        return same(text(md5Crypt(pw, salt)), text(stored.hash));
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}
