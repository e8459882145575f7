import type { AdminRole } from '@hellojohn/dal';
import type { Response } from 'express';

/**
 * Who is calling the control plane: a signed-in CP admin or an API key, with the grant it holds
 * (read fresh from the database on every request, so a changed grant applies at once).
 */
export interface Actor {
  type: 'admin' | 'api_key';
  id: string;
  /** How audit rows name it: the admin's email, or `api_key:<id>`. */
  label: string;
  role: AdminRole;
  /** Tenant ids the grant covers; null: every tenant. */
  tenants: readonly string[] | null;
  /** The admin session the access token belongs to (admins only). */
  sessionId: string | null;
}

const RANK: Record<AdminRole, number> = { viewer: 1, admin: 2, owner: 3 };

/** Whether `held` allows what `needed` allows (owner > admin > viewer). */
export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return RANK[held] >= RANK[needed];
}

/** Whether the actor's grant covers the tenant `tenantId`. */
export function coversTenant(actor: Pick<Actor, 'tenants'>, tenantId: string): boolean {
  return actor.tenants === null || actor.tenants.includes(tenantId);
}

/** The actor `requireAdmin` authenticated, if it ran and the credential was good. */
export function signedInActor(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}

/** Records who acted, for the audit row, on a route that authenticates by itself (sign-out). */
export function setActor(res: Response, actor: Actor): void {
  res.locals.actor = actor;
}

/** The authenticated actor, set by `requireAdmin`. */
export function actorOf(res: Response): Actor {
  const actor = signedInActor(res);
  if (!actor) throw new Error('requireAdmin did not run before this handler');
  return actor;
}
