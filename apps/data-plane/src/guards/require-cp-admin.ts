import { CONTROL_PLANE_AUDIENCE } from '@hellojohn/contracts';
import { AppError, bearerToken, guard, type Guard } from '@hellojohn/http';
import { TokenError, verifyAccessToken, type PublicJwk } from '@hellojohn/tokens';
import type { Request, Response } from 'express';
import { tenantOf } from '../tenancy/tenant-context';
import type { AdminRevocations } from './admin-revocations';
import type { ApiKeyVerifier } from './api-key-verifier';

/** CP admin tokens' audience and `tid` (as the control plane issues them). */
const CONTROL_PLANE_TID = 'control-plane';
const API_KEY_PREFIX = 'hjk_';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

type OperatorRole = 'owner' | 'admin' | 'viewer';

/** The operator acting on a tenant: a CP admin (from its token) or an API key. */
export interface AdminActor {
  /** The admin's id, or `api_key:<id>` for an API key (how audit rows name it). */
  adminId: string;
  role: OperatorRole;
}

export function adminActorOf(res: Response): AdminActor {
  const actor = res.locals.cpAdmin as AdminActor | undefined;
  if (!actor) throw new Error('requireCpAdmin did not run before this handler');
  return actor;
}

/** A grant as both credentials carry it: a role, and `"*"` or tenant ids. */
interface Grant {
  actor: AdminActor;
  tenants: '*' | readonly string[];
}

function parseTenantsClaim(value: unknown): '*' | string[] | undefined {
  if (value === '*') return '*';
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) {
    return value;
  }
  return undefined;
}

/**
 * Guards tenant-admin routes with an operator credential. A CP admin access token is verified
 * locally against the control plane's JWKS (issuer `HJ_CP_URL`, audience
 * `hellojohn:control-plane`) and checked against the revocation list that `admin.revoked` events
 * feed; an API key (`hjk_...`) is checked through the control plane's internal API, cached
 * briefly. The request's tenant must be in the grant (else 404 `tenant_not_found`, so other
 * tenants' existence does not leak). `requireCpAdmin('owner')` (or `'admin'`) guards writes,
 * which the `owner` and `admin` roles may do; `requireCpAdmin('viewer')` guards reads.
 *
 * @example
 * api.get('/v1/admin/users', requireCpAdmin('viewer'), adminUsers.list);
 */
export function makeRequireCpAdmin(options: {
  cpUrl: string;
  keys: (kid: string) => Promise<PublicJwk | undefined>;
  revocations: AdminRevocations;
  apiKeys: ApiKeyVerifier;
}) {
  async function adminGrant(token: string): Promise<Grant> {
    let grant: Grant;
    let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      claims = await verifyAccessToken(token, {
        issuer: options.cpUrl,
        audience: CONTROL_PLANE_AUDIENCE,
        keys: options.keys,
      });
      const role = claims['role'];
      // Tokens from before grants existed carry no `tenants`: they covered every tenant.
      const tenants = claims['tenants'] === undefined ? '*' : parseTenantsClaim(claims['tenants']);
      if (
        claims.tid !== CONTROL_PLANE_TID ||
        (role !== 'owner' && role !== 'admin' && role !== 'viewer') ||
        tenants === undefined
      ) {
        throw new TokenError('token_invalid', 'not_a_cp_admin_token');
      }
      grant = { actor: { adminId: claims.sub, role }, tenants };
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      // The JWKS could not be fetched: a 503 from the key lookup, not a bad token.
      if (error.cause instanceof AppError) throw error.cause;
      throw new AppError('invalid_token', 'A control-plane admin token is required.', {
        cause: error,
        headers: CHALLENGE,
      });
    }
    await options.revocations.check(claims);
    return grant;
  }

  async function apiKeyGrant(key: string, ip: string | null): Promise<Grant> {
    const verified = await options.apiKeys.verify(key, ip);
    return {
      actor: { adminId: `api_key:${verified.id}`, role: verified.role },
      tenants: verified.tenants,
    };
  }

  /** The request's operator grant, from an admin token or an API key. */
  function grantOf(req: Request): Promise<Grant> {
    const token = bearerToken(req);
    return token.startsWith(API_KEY_PREFIX)
      ? apiKeyGrant(token, req.ip ?? null)
      : adminGrant(token);
  }

  /** Checked after the tenant, so a grant on other tenants learns nothing from a 403. */
  function checkRole(grant: Grant, writes: boolean): void {
    if (writes && grant.actor.role === 'viewer') {
      throw new AppError('insufficient_role', 'This action needs the owner or admin role.');
    }
  }

  /** `viewer` guards a read; `owner` or `admin` a write (either role may write a tenant's content). */
  function requireCpAdmin(role: OperatorRole): Guard {
    const writes = role !== 'viewer';
    // 503 `service_unavailable` when the control plane's JWKS, revocations or key check cannot
    // be reached (for a credential not confirmed recently).
    const errors = [
      'unauthenticated',
      'invalid_token',
      'tenant_not_found',
      'service_unavailable',
      ...(writes ? (['insufficient_role'] as const) : []),
    ] as const;
    return guard({ errors, auth: 'bearer' }, async function authenticateCpAdmin(req, res, next) {
      const grant = await grantOf(req);
      const tenantId = tenantOf(res).config.id;
      if (grant.tenants !== '*' && !grant.tenants.includes(tenantId)) {
        // Word for word what an unknown tenant answers.
        throw new AppError('tenant_not_found', 'No such tenant.');
      }
      checkRole(grant, writes);
      res.locals.cpAdmin = grant.actor;
      next();
    });
  }

  /**
   * The same check for platform routes, which name no tenant (`/v1/admin/ops/...`): what they
   * show spans tenants, so only a grant on every tenant (`"*"`) passes; a narrower one is 403.
   */
  function requirePlatformAdmin(role: OperatorRole): Guard {
    const writes = role !== 'viewer';
    const errors = [
      'unauthenticated',
      'invalid_token',
      'forbidden',
      'service_unavailable',
      ...(writes ? (['insufficient_role'] as const) : []),
    ] as const;
    return guard(
      { errors, auth: 'bearer' },
      async function authenticatePlatformAdmin(req, res, next) {
        const grant = await grantOf(req);
        if (grant.tenants !== '*') {
          throw new AppError('forbidden', 'This needs an operator grant on every tenant.');
        }
        checkRole(grant, writes);
        res.locals.cpAdmin = grant.actor;
        next();
      },
    );
  }

  return Object.assign(requireCpAdmin, { platform: requirePlatformAdmin });
}
