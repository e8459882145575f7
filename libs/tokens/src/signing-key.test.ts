import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import {
  TokenError,
  decryptSecret,
  generateSigningKey,
  generateSigningKeyPair,
  loadPrivateKey,
} from './index';
import { aadFor, newMasterKey } from '../test/support/fixtures';

describe('generateSigningKey', () => {
  it('makes an Ed25519 key by default, kid = RFC 7638 thumbprint, no private members', async () => {
    const masterKey = newMasterKey();
    const key = await generateSigningKey(masterKey, { aad: aadFor });
    expect(key.alg).toBe('EdDSA');
    expect(key.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: key.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    const { kty, crv, x } = key.publicJwk as { kty: string; crv: string; x: string };
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty, crv, x }, 'sha256'));
    expect(key.privateKeyEncrypted.startsWith('v1.')).toBe(true);
  });

  it('seals the private key with aad(kid)', async () => {
    const masterKey = newMasterKey();
    const key = await generateSigningKey(masterKey, { aad: aadFor });
    expect(() => decryptSecret(masterKey, key.privateKeyEncrypted, aadFor(key.kid))).not.toThrow();
    expect(() => decryptSecret(masterKey, key.privateKeyEncrypted, aadFor('other'))).toThrow(
      TokenError,
    );
  });

  it('makes a 2048-bit RSA key for RS256', async () => {
    const masterKey = newMasterKey();
    const key = await generateSigningKey(masterKey, { aad: aadFor, alg: 'RS256' });
    expect(key.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(key.publicJwk).not.toHaveProperty('d');
    const loaded = await loadPrivateKey(masterKey, key, aadFor(key.kid));
    const pub = createPublicKey(loaded.privateKey as KeyObject);
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('seals a pair made beforehand (a key pool), and refuses one of another algorithm', async () => {
    const masterKey = newMasterKey();
    const pair = await generateSigningKeyPair('ES256');
    const key = await generateSigningKey(masterKey, { aad: aadFor, alg: 'ES256', keyPair: pair });
    const loaded = await loadPrivateKey(masterKey, key, aadFor(key.kid));
    const exported = (k: KeyObject) => k.export({ format: 'jwk' });
    expect(exported(createPublicKey(loaded.privateKey as KeyObject))).toEqual(
      exported(pair.publicKey),
    );
    await expect(
      generateSigningKey(masterKey, { aad: aadFor, alg: 'EdDSA', keyPair: pair }),
    ).rejects.toThrow(TypeError);
  });
});

describe('loadPrivateKey', () => {
  it('loads what generateSigningKey stored', async () => {
    const masterKey = newMasterKey();
    const stored = await generateSigningKey(masterKey, { aad: aadFor });
    const key = await loadPrivateKey(masterKey, stored, aadFor(stored.kid));
    expect(key).toMatchObject({ kid: stored.kid, alg: 'EdDSA' });
  });

  it('fails with secret_undecryptable for a wrong aad or master key', async () => {
    const masterKey = newMasterKey();
    const stored = await generateSigningKey(masterKey, { aad: aadFor });
    await expect(loadPrivateKey(masterKey, stored, aadFor('nope'))).rejects.toMatchObject({
      code: 'secret_undecryptable',
    });
    await expect(loadPrivateKey(newMasterKey(), stored, aadFor(stored.kid))).rejects.toMatchObject({
      code: 'secret_undecryptable',
    });
  });

  it('refuses a sealed key filed under another kid', async () => {
    const masterKey = newMasterKey();
    const a = await generateSigningKey(masterKey, { aad: () => 'shared-aad' });
    const b = await generateSigningKey(masterKey, { aad: () => 'shared-aad' });
    const swapped = { ...a, privateKeyEncrypted: b.privateKeyEncrypted };
    await expect(loadPrivateKey(masterKey, swapped, 'shared-aad')).rejects.toMatchObject({
      code: 'secret_undecryptable',
      reason: 'kid_mismatch',
    });
  });

  it('refuses an alg that does not match the stored key', async () => {
    const masterKey = newMasterKey();
    const stored = await generateSigningKey(masterKey, { aad: aadFor });
    await expect(
      loadPrivateKey(masterKey, { ...stored, alg: 'RS256' }, aadFor(stored.kid)),
    ).rejects.toMatchObject({ code: 'secret_undecryptable', reason: 'private_key_unusable' });
    await expect(
      loadPrivateKey(masterKey, { ...stored, alg: 'HS256' }, aadFor(stored.kid)),
    ).rejects.toMatchObject({ code: 'secret_undecryptable', reason: 'unsupported_alg:HS256' });
  });
});
