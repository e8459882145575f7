import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import type { KeyObject, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { TokenError } from './errors';
import type { PublicJwk, SigningAlg } from './jwks';
import { decryptSecret, encryptSecret } from './secret-box';

/** A new key pair, ready to store: the public JWK in clear, the private key sealed. */
export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: PublicJwk;
  /** PKCS#8 DER sealed by `encryptSecret` with `aad(kid)`. */
  privateKeyEncrypted: string;
}

/** A private key ready for `signAccessToken`. Loading costs a decrypt: cache it per kid. */
export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: webcrypto.CryptoKey | KeyObject;
}

export interface GenerateSigningKeyOptions {
  /** Builds the AAD that binds the sealed private key to its row, e.g. `tenant:<id>:signing-key:<kid>`. */
  aad: (kid: string) => string;
  /**
   * `EdDSA` (Ed25519, the default), `RS256` (RSA 2048, for OIDC clients that need it) or `ES256`
   * (ECDSA P-256, for verifiers without EdDSA).
   */
  alg?: SigningAlg;
  /**
   * A pair made beforehand by {@link generateSigningKeyPair} (a pool of them keeps RSA's slow
   * generation off the request path); used once. Its `alg` must be `alg`.
   */
  keyPair?: SigningKeyPair;
}

/** A fresh key pair, not yet sealed or stored; seal it with `generateSigningKey({ keyPair })`. */
export interface SigningKeyPair {
  alg: SigningAlg;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

// RFC 7518 §3.3: RS256 keys must be at least 2048 bits.
const RSA_MODULUS_BITS = 2048;

function newKeyPair(alg: SigningAlg): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err) reject(err);
      else resolve({ publicKey, privateKey });
    };
    if (alg === 'EdDSA') generateKeyPair('ed25519', {}, done);
    else if (alg === 'ES256') generateKeyPair('ec', { namedCurve: 'P-256' }, done);
    else generateKeyPair('rsa', { modulusLength: RSA_MODULUS_BITS, publicExponent: 0x10001 }, done);
  });
}

/**
 * Generates a key pair of `alg` off the main thread (RSA-2048 costs tens to hundreds of ms of CPU;
 * Ed25519 and P-256 well under one).
 *
 * @example
 * ```ts
 * const pair = await generateSigningKeyPair('RS256');
 * const key = await generateSigningKey(masterKey, { alg: 'RS256', aad, keyPair: pair });
 * ```
 */
export async function generateSigningKeyPair(alg: SigningAlg): Promise<SigningKeyPair> {
  return { alg, ...(await newKeyPair(alg)) };
}

/** The public JWK of `publicKey` with its RFC 7638 thumbprint as `kid`. */
async function toPublicJwk(publicKey: KeyObject, alg: SigningAlg): Promise<PublicJwk> {
  const raw = publicKey.export({ format: 'jwk' });
  if (alg === 'EdDSA' && raw.kty === 'OKP' && raw.crv === 'Ed25519' && raw.x) {
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: raw.x }, 'sha256');
    return { kty: 'OKP', crv: 'Ed25519', x: raw.x, kid, alg, use: 'sig' };
  }
  if (alg === 'RS256' && raw.kty === 'RSA' && raw.n && raw.e) {
    const kid = await calculateJwkThumbprint({ kty: 'RSA', n: raw.n, e: raw.e }, 'sha256');
    return { kty: 'RSA', n: raw.n, e: raw.e, kid, alg, use: 'sig' };
  }
  if (alg === 'ES256' && raw.kty === 'EC' && raw.crv === 'P-256' && raw.x && raw.y) {
    const members = { kty: 'EC', crv: 'P-256', x: raw.x, y: raw.y } as const;
    const kid = await calculateJwkThumbprint(members, 'sha256');
    return { ...members, kid, alg, use: 'sig' };
  }
  throw new TypeError(`key type does not match ${alg}`);
}

/**
 * Generates a signing key pair (Ed25519 unless `alg` says `RS256` or `ES256`). The `kid` is the RFC 7638 JWK
 * thumbprint, so it is derived from the key and cannot collide by accident.
 *
 * @example
 * ```ts
 * const key = await generateSigningKey(masterKey, {
 *   aad: (kid) => `tenant:${tenantId}:signing-key:${kid}`,
 * });
 * await signingKeys.insert(key);
 * ```
 */
export async function generateSigningKey(
  masterKey: Buffer,
  options: GenerateSigningKeyOptions,
): Promise<GeneratedSigningKey> {
  const alg = options.alg ?? 'EdDSA';
  if (options.keyPair && options.keyPair.alg !== alg) {
    throw new TypeError(`key pair is ${options.keyPair.alg}, not ${alg}`);
  }
  const { publicKey, privateKey } = options.keyPair ?? (await newKeyPair(alg));
  const publicJwk = await toPublicJwk(publicKey, alg);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const privateKeyEncrypted = encryptSecret(masterKey, der, options.aad(publicJwk.kid));
  return { kid: publicJwk.kid, alg, publicJwk, privateKeyEncrypted };
}

function parseAlg(alg: string): SigningAlg {
  if (alg === 'EdDSA' || alg === 'RS256' || alg === 'ES256') return alg;
  throw new TokenError('secret_undecryptable', `unsupported_alg:${alg}`);
}

/**
 * Decrypts a stored private key and checks it is the key its `kid` names (the thumbprint of its
 * public half must equal `kid`), so a swapped row cannot sign under someone else's kid.
 *
 * @example
 * ```ts
 * const key = await loadPrivateKey(masterKey, row, `tenant:${tenantId}:signing-key:${row.kid}`);
 * ```
 */
export async function loadPrivateKey(
  masterKey: Buffer,
  stored: { kid: string; alg: string; privateKeyEncrypted: string },
  aad: string,
): Promise<SigningKey> {
  const alg = parseAlg(stored.alg);
  const der = decryptSecret(masterKey, stored.privateKeyEncrypted, aad);
  let privateKey: KeyObject;
  let publicJwk: PublicJwk;
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    publicJwk = await toPublicJwk(createPublicKey(privateKey), alg);
  } catch (cause) {
    throw new TokenError('secret_undecryptable', 'private_key_unusable', { cause });
  }
  if (publicJwk.kid !== stored.kid) {
    throw new TokenError('secret_undecryptable', 'kid_mismatch');
  }
  return { kid: stored.kid, alg, privateKey };
}
