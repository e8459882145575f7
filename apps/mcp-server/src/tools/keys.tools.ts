import { createTokenVerifier, InvalidTokenError, readServiceHealth } from '@hellojohn/sdk';
import { z } from 'zod';
import { defineTool, itemResult, tenantInput } from './define-tool';

const tokenInput = z
  .string()
  .min(10)
  .max(16_384)
  .describe('A JWT (header.payload.signature). It is never echoed back or logged.');

function decodeSegment(segment: string | undefined, what: string): Record<string, unknown> {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) {
    throw new Error(`not a JWT: the ${what} is not base64url`);
  }
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    return value as Record<string, unknown>;
  } catch {
    throw new Error(`not a JWT: the ${what} is not a JSON object`);
  }
}

/** Expiry facts about `claims`, relative to now. */
function timing(claims: Record<string, unknown>): {
  expired: boolean | null;
  expires_at: string | null;
} {
  const exp = claims.exp;
  if (typeof exp !== 'number') return { expired: null, expires_at: null };
  return { expired: exp * 1000 < Date.now(), expires_at: new Date(exp * 1000).toISOString() };
}

/** Signing keys, JWKS, token inspection and the planes' health. */
export const keyTools = [
  defineTool({
    name: 'keys_jwks',
    example: { tenant: 'acme' },
    title: "A tenant's public signing keys (JWKS)",
    description:
      "The tenant's published JWKS: each key's kid, alg, kty, crv and use. Shows whether a " +
      'rotation has published its new key. Public keys only.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput },
    output: {
      jwks_uri: z.string(),
      keys: z.array(z.record(z.string(), z.unknown())),
    },
    run: async (args, ctx) => {
      const dp = ctx.dp(args.tenant);
      const jwks = await dp.jwks();
      const keys = jwks.keys.map((key) => ({
        kid: key.kid ?? null,
        alg: key.alg ?? null,
        kty: key.kty,
        crv: key.crv ?? null,
        use: key.use ?? null,
      }));
      return itemResult(
        { jwks_uri: `${dp.issuer}/.well-known/jwks.json`, keys },
        `${String(keys.length)} keys: ${keys.map((k) => `${k.kid ?? '?'} (${k.alg ?? k.kty})`).join(', ')}`,
      );
    },
  }),
  defineTool({
    name: 'tokens_decode',
    example: { token: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c3JfMSJ9.c2ln' },
    title: 'Decode a JWT without verifying it',
    description:
      "Shows a JWT's header and claims (iss, sub, aud, exp, scope, tid, ...) and whether it has " +
      'expired. Does NOT check the signature: use tokens_verify to know whether to trust it. The ' +
      'signature and the token itself are never shown.',
    kind: 'read',
    idempotent: true,
    input: { token: tokenInput },
    output: {
      header: z.record(z.string(), z.unknown()),
      claims: z.record(z.string(), z.unknown()),
      expired: z.boolean().nullable(),
      expires_at: z.string().nullable(),
    },
    run: (args) => {
      const parts = args.token.split('.');
      if (parts.length !== 3) {
        return Promise.reject(new Error('not a JWT: expected three dot-separated parts'));
      }
      const header = decodeSegment(parts[0], 'header');
      const claims = decodeSegment(parts[1], 'payload');
      return Promise.resolve(
        itemResult(
          { header, claims, ...timing(claims) },
          `alg ${String(header.alg)}, sub ${String(claims.sub)}, iss ${String(claims.iss)} (signature not checked)`,
        ),
      );
    },
  }),
  defineTool({
    name: 'tokens_verify',
    example: { tenant: 'acme', token: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c3JfMSJ9.c2ln' },
    title: "Verify an access token with the tenant's JWKS",
    description:
      "Verifies an access token as a backend would: signature against the tenant's JWKS, issuer, " +
      'audience (default: the tenant issuer, i.e. first-party tokens; give an API resource ' +
      'identifier for its tokens), typ at+jwt and expiry. Answers valid true with the claims, or ' +
      'valid false with the reason. The token itself is never shown.',
    kind: 'read',
    idempotent: true,
    input: {
      tenant: tenantInput,
      token: tokenInput,
      audience: z.string().min(1).max(2000).optional(),
      algorithms: z
        .array(z.enum(['EdDSA', 'RS256', 'ES256']))
        .min(1)
        .optional(),
    },
    output: {
      valid: z.boolean(),
      issuer: z.string(),
      claims: z.record(z.string(), z.unknown()).nullable(),
      error: z.string().nullable(),
    },
    run: async (args, ctx) => {
      const tenant = await ctx.cp.tenants.get(args.tenant);
      const verifier = createTokenVerifier({
        issuer: tenant.issuer,
        audience: args.audience ?? tenant.issuer,
        fetch: ctx.fetch,
        ...(args.algorithms && { algorithms: args.algorithms }),
      });
      try {
        const claims = await verifier.verify(args.token);
        return itemResult(
          { valid: true, issuer: tenant.issuer, claims: { ...claims }, error: null },
          `valid: sub ${claims.sub}, expires ${new Date(claims.exp * 1000).toISOString()}`,
        );
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        return itemResult(
          { valid: false, issuer: tenant.issuer, claims: null, error: error.message },
          `invalid: ${error.message}`,
        );
      }
    },
  }),
  defineTool({
    name: 'health_check',
    example: {},
    title: 'Health and readiness of both planes',
    description:
      "Asks each plane's /healthz (process up) and /readyz (its database, broker, cache answer) " +
      'and reports which dependency is down. Needs no credential.',
    kind: 'read',
    idempotent: true,
    input: {},
    output: {
      healthy: z.boolean(),
      control_plane: z.record(z.string(), z.unknown()),
      data_plane: z.record(z.string(), z.unknown()),
    },
    run: async (_args, ctx) => {
      const [cp, dp] = await Promise.all([
        readServiceHealth(ctx.cpUrl, { fetch: ctx.fetch }),
        readServiceHealth(ctx.publicUrl, { fetch: ctx.fetch }),
      ]);
      const healthy = cp.ready && dp.ready;
      const state = (h: typeof cp) => (h.ready ? 'ready' : h.live ? 'live, not ready' : 'down');
      return itemResult(
        { healthy, control_plane: { ...cp }, data_plane: { ...dp } },
        `control plane ${state(cp)}; data plane ${state(dp)}`,
      );
    },
  }),
];
