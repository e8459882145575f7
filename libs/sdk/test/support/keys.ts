import { randomBytes } from 'node:crypto';
import { generateSigningKey, loadPrivateKey, signAccessToken } from '@hellojohn/tokens';
import type { AccessTokenAlg, AccessTokenInput, PublicJwk, SigningKey } from '@hellojohn/tokens';

export const TENANT_ID = '5b0f6b9e-8a41-4c1d-9d55-0b1d3c0a7e11';

export interface TestKey {
  key: SigningKey;
  publicJwk: PublicJwk;
}

/** A signing key (Ed25519 unless `alg` says otherwise) made exactly as the data plane makes one. */
export async function newKey(alg: AccessTokenAlg = 'EdDSA'): Promise<TestKey> {
  const masterKey = randomBytes(32);
  const aad = (kid: string): string => `tenant:${TENANT_ID}:signing-key:${kid}`;
  const generated = await generateSigningKey(masterKey, { aad, alg });
  const key = await loadPrivateKey(masterKey, generated, aad(generated.kid));
  return { key, publicJwk: generated.publicJwk };
}

/** Mints an access token as the data plane does: issuer and audience are the tenant URL. */
export async function mint(
  key: TestKey,
  issuer: string,
  overrides: Partial<AccessTokenInput> = {},
  now?: Date,
): Promise<string> {
  const { token } = await signAccessToken(
    key.key,
    {
      issuer,
      audience: issuer,
      subject: 'user-1',
      tenantId: TENANT_ID,
      sessionId: 'session-1',
      scope: 'openid profile email',
      ttlSeconds: 900,
      ...overrides,
    },
    now ? { now } : {},
  );
  return token;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header, signed by `sign` (or unsigned), for forgeries jose won't make. */
export function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string = () => '',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}
