import {
  NATIVE_PREHASH,
  type ImportAlgorithm,
  type PasswordHashInput,
} from './password-hash.schemas';

/** A hash as stored: binary values in base64, parameters named alike for every line. */
export type NormalizedPasswordHash =
  | { kind: 'native'; hash: string }
  | {
      kind: 'imported';
      algorithm: ImportAlgorithm;
      hash: string;
      params: Record<string, string | number>;
      /** A project-wide secret (Firebase's signer key): sealed once, named by `params.key_id`. */
      secretKey?: Buffer;
    };

/** Why a `password_hash` is refused: the field at fault and what is wrong with it. */
export class PasswordHashProblem extends Error {}

// Upper bounds on the work one sign-in may cost, so an imported hash cannot stall the server.
const MAX_PBKDF2_ITERATIONS = 2_000_000;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const MAX_BCRYPT_COST = 16;
const MAX_ARGON2_MEMORY_KIB = 256 * 1024;

const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const MD5_CRYPT = /^\$1\$[^$\s]{0,8}\$[./0-9A-Za-z]{22}$/;
const ARGON2 =
  /^\$(argon2id|argon2i)\$v=(16|19)\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{16,})$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

type Encoding = 'base64' | 'hex' | 'utf8';

function problem(field: string, message: string): never {
  throw new PasswordHashProblem(`password_hash.${field}: ${message}`);
}

function decode(value: string, encoding: Encoding, field: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(value, 'utf8');
  if (encoding === 'hex') {
    if (!HEX.test(value)) problem(field, 'must be hexadecimal');
    return Buffer.from(value, 'hex');
  }
  if (!BASE64.test(value)) problem(field, 'must be base64');
  return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
}

function encodingOf(params: Record<string, unknown>, name: string, fallback: Encoding): Encoding {
  const value = params[name];
  if (value === undefined) return fallback;
  if (value === 'base64' || value === 'hex' || value === 'utf8') return value;
  return problem(`params.${name}`, 'must be base64, hex or utf8');
}

function integer(params: Record<string, unknown>, name: string, min: number, max: number): number {
  const raw = params[name];
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problem(`params.${name}`, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function knownParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    problem(`params.${unknown.slice(0, 64)}`, 'is not a parameter of this algorithm');
}

function saltOf(input: PasswordHashInput, params: Record<string, unknown>): Buffer {
  if (input.salt === undefined || input.salt === '')
    problem('salt', 'is required for this algorithm');
  return decode(input.salt, encodingOf(params, 'salt_encoding', 'base64'), 'salt');
}

function digestOf(
  input: PasswordHashInput,
  params: Record<string, unknown>,
  bytes?: number,
): Buffer {
  const digest = decode(input.hash, encodingOf(params, 'hash_encoding', 'base64'), 'hash');
  if (bytes !== undefined && digest.length !== bytes) problem('hash', `must be ${bytes} bytes`);
  if (digest.length < 16 || digest.length > 512) problem('hash', 'must be 16 to 512 bytes');
  return digest;
}

const b64 = (value: Buffer): string => value.toString('base64');

/**
 * Checks an imported `password_hash` against its algorithm and returns it in the form it is
 * stored in. Throws {@link PasswordHashProblem} naming the field at fault. Never echoes the hash.
 */
export function normalizePasswordHash(input: PasswordHashInput): NormalizedPasswordHash {
  const params: Record<string, unknown> = input.params ?? {};
  const { algorithm } = input;
  switch (algorithm) {
    case 'bcrypt': {
      knownParams(params, ['prehash']);
      const match = BCRYPT.exec(input.hash);
      if (!match) problem('hash', 'must be a $2a$, $2b$ or $2y$ bcrypt hash');
      if (Number(match[1]) < 4 || Number(match[1]) > MAX_BCRYPT_COST) {
        problem('hash', `must have a cost from 4 to ${MAX_BCRYPT_COST}`);
      }
      if (params['prehash'] === NATIVE_PREHASH) return { kind: 'native', hash: input.hash };
      if (params['prehash'] !== undefined) problem('params.prehash', `must be ${NATIVE_PREHASH}`);
      return { kind: 'imported', algorithm, hash: input.hash, params: {} };
    }
    case 'argon2id':
    case 'argon2i': {
      knownParams(params, []);
      const match = ARGON2.exec(input.hash);
      if (match?.[1] !== algorithm) problem('hash', `must be an $${algorithm}$ PHC string`);
      const memory = Number(match[3]);
      if (memory < 8 || memory > MAX_ARGON2_MEMORY_KIB) {
        problem('hash', `must use at most ${MAX_ARGON2_MEMORY_KIB} KiB of memory`);
      }
      if (Number(match[4]) < 1 || Number(match[4]) > 20 || Number(match[5]) < 1) {
        problem('hash', 'must have t from 1 to 20 and p from 1 to 99');
      }
      return { kind: 'imported', algorithm, hash: input.hash, params: {} };
    }
    case 'scrypt': {
      knownParams(params, ['n', 'r', 'p', 'hash_encoding', 'salt_encoding']);
      const n = integer(params, 'n', 2, 2 ** 20);
      if ((n & (n - 1)) !== 0) problem('params.n', 'must be a power of 2');
      const r = integer(params, 'r', 1, 32);
      const p = integer(params, 'p', 1, 16);
      if (128 * n * r > MAX_SCRYPT_MEMORY) problem('params', 'n and r need too much memory');
      const salt = saltOf(input, params);
      const digest = digestOf(input, params);
      return {
        kind: 'imported',
        algorithm,
        hash: b64(digest),
        params: { salt: b64(salt), n, r, p },
      };
    }
    case 'firebase-scrypt': {
      knownParams(params, ['signer_key', 'salt_separator', 'rounds', 'mem_cost']);
      const rounds = integer(params, 'rounds', 1, 32);
      const memCost = integer(params, 'mem_cost', 1, 16);
      const signer = params['signer_key'];
      if (typeof signer !== 'string' || signer === '') problem('params.signer_key', 'is required');
      const separator = params['salt_separator'];
      if (typeof separator !== 'string') problem('params.salt_separator', 'is required (base64)');
      return {
        kind: 'imported',
        algorithm,
        hash: b64(digestOf(input, {})),
        params: {
          salt: b64(saltOf(input, {})),
          salt_separator: b64(decode(separator, 'base64', 'params.salt_separator')),
          rounds,
          mem_cost: memCost,
        },
        secretKey: decode(signer, 'base64', 'params.signer_key'),
      };
    }
    case 'pbkdf2-sha1':
    case 'pbkdf2-sha256':
    case 'pbkdf2-sha512': {
      knownParams(params, ['iterations', 'hash_encoding', 'salt_encoding']);
      const iterations = integer(params, 'iterations', 1, MAX_PBKDF2_ITERATIONS);
      const salt = saltOf(input, params);
      const digest = digestOf(input, params);
      return {
        kind: 'imported',
        algorithm,
        hash: b64(digest),
        params: { salt: b64(salt), iterations },
      };
    }
    case 'sha256-salted':
    case 'sha512-salted': {
      knownParams(params, ['order', 'hash_encoding', 'salt_encoding']);
      const order = params['order'] ?? 'password_salt';
      if (order !== 'password_salt' && order !== 'salt_password') {
        problem('params.order', 'must be password_salt or salt_password');
      }
      const salt = saltOf(input, params);
      const digest = digestOf(input, params, algorithm === 'sha256-salted' ? 32 : 64);
      return { kind: 'imported', algorithm, hash: b64(digest), params: { salt: b64(salt), order } };
    }
    case 'md5-crypt': {
      knownParams(params, []);
      if (!MD5_CRYPT.test(input.hash)) problem('hash', 'must be a $1$salt$hash MD5-crypt string');
      return { kind: 'imported', algorithm, hash: input.hash, params: {} };
    }
  }
}
