import { randomBytes } from 'node:crypto';
import { generateSigningKey, loadPrivateKey } from '../../src/index';
import type { GeneratedSigningKey, SigningAlg, SigningKey } from '../../src/index';

export const ISSUER = 'https://id.example.test/t/acme';
export const AUDIENCE = 'client-123';
export const TENANT_ID = '5b0f6b9e-8a41-4c1d-9d55-0b1d3c0a7e11';
export const NOW = new Date('2030-01-01T00:00:00Z');

export const aadFor = (kid: string): string => `tenant:${TENANT_ID}:signing-key:${kid}`;

export function newMasterKey(): Buffer {
  return randomBytes(32);
}

export async function newKey(
  alg: SigningAlg = 'EdDSA',
): Promise<{ generated: GeneratedSigningKey; key: SigningKey; masterKey: Buffer }> {
  const masterKey = newMasterKey();
  const generated = await generateSigningKey(masterKey, { aad: aadFor, alg });
  const key = await loadPrivateKey(masterKey, generated, aadFor(generated.kid));
  return { generated, key, masterKey };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Hand-builds an unsigned compact JWS, for headers jose would refuse to produce. */
export function forgeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  return `${b64(header)}.${b64(payload)}.`;
}

export function validPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(NOW.getTime() / 1000);
  return {
    iss: ISSUER,
    sub: 'user-1',
    aud: AUDIENCE,
    iat,
    exp: iat + 900,
    jti: 'a0e1c8a4-1111-4c1d-9d55-0b1d3c0a7e11',
    tid: TENANT_ID,
    ...overrides,
  };
}
