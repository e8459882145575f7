import { CONTROL_PLANE_AUDIENCE } from '@hellojohn/contracts';
import type { GlobalDb } from '@hellojohn/dal';
import {
  buildJwks,
  generateSigningKey,
  loadPrivateKey,
  parsePublicJwk,
  signAccessToken,
  verifyAccessToken,
  type AccessTokenClaims,
  type PublicJwk,
  type SigningKey,
} from '@hellojohn/tokens';

/** CP admin tokens are for the control plane only (docs/api.md). */
const CONTROL_PLANE_TID = 'control-plane';

const keyAad = (kid: string): string => `control-plane:signing-key:${kid}`;

export interface AdminTokens {
  /**
   * An access token for `admin` in session `sessionId`. It carries the grant (`role`, `tenants`:
   * `"*"` or ids) so the data plane can check it without calling the control plane.
   */
  issue(
    admin: { id: string; role: string; tenants: readonly string[] | null },
    sessionId: string,
  ): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<AccessTokenClaims>;
  jwks(): { keys: PublicJwk[] };
  readonly issuer: string;
}

/**
 * Signs and verifies CP admin tokens with the control plane's own Ed25519 key, created (and
 * encrypted with the master key) on first start.
 */
export async function createAdminTokens(options: {
  db: GlobalDb;
  masterKey: Buffer;
  issuer: string;
  ttlSeconds: number;
}): Promise<AdminTokens> {
  const { db, masterKey, issuer, ttlSeconds } = options;
  let active = await db.signingKeys.findActive();
  if (!active) {
    const generated = await generateSigningKey(masterKey, { aad: keyAad });
    await db.signingKeys.insert({
      kid: generated.kid,
      alg: generated.alg,
      publicJwk: { ...generated.publicJwk },
      privateKeyEncrypted: generated.privateKeyEncrypted,
      status: 'active',
    });
    active = await db.signingKeys.findActive();
  }
  if (!active) throw new Error('control-plane signing key could not be created');
  const signingKey: SigningKey = await loadPrivateKey(masterKey, active, keyAad(active.kid));
  const published = (await db.signingKeys.listAll()).map((key) => parsePublicJwk(key.publicJwk));
  const jwks = buildJwks(published);

  return {
    issuer,
    async issue(admin, sessionId) {
      const { token } = await signAccessToken(signingKey, {
        issuer,
        audience: CONTROL_PLANE_AUDIENCE,
        subject: admin.id,
        tenantId: CONTROL_PLANE_TID,
        sessionId,
        scope: admin.role === 'viewer' ? 'cp:read' : 'cp:read cp:write',
        ttlSeconds,
        extra: { role: admin.role, tenants: admin.tenants === null ? '*' : [...admin.tenants] },
      });
      return { token, expiresIn: ttlSeconds };
    },
    async verify(token) {
      const claims = await verifyAccessToken(token, {
        issuer,
        audience: CONTROL_PLANE_AUDIENCE,
        keys: jwks,
      });
      if (claims.tid !== CONTROL_PLANE_TID) throw new Error('not a control-plane token');
      return claims;
    },
    jwks: () => jwks,
  };
}
