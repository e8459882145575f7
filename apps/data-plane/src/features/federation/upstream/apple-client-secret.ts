import { createPrivateKey, sign } from 'node:crypto';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Sign in with Apple's client secret: a short-lived ES256 JWT signed with the developer's .p8 key
 * (Apple, "Creating a client secret": iss = Team ID, sub = the Services ID, aud = Apple's issuer,
 * kid = the Key ID, at most six months; five minutes here, one per token request).
 * Hand-written with node:crypto: one signature, no dependency needed.
 */
export function appleClientSecret(
  input: { teamId: string; keyId: string; clientId: string; privateKey: string; audience: string },
  now: Date = new Date(),
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: input.keyId, typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: input.teamId,
      iat,
      exp: iat + 300,
      aud: input.audience,
      sub: input.clientId,
    }),
  );
  // JWS ES256 signatures are r || s (RFC 7518 §3.4), not DER.
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: createPrivateKey(input.privateKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${b64url(signature)}`;
}
