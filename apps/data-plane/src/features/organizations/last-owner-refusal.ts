import type { TenantDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';

/**
 * The `409 last_owner` of a refused leave, removal or demotion, audited first with
 * `outcome: denied`: the refusal is as much a part of the organization's history as a change.
 * `actor` names a tenant admin (`cp-admin:<id>`); without it the user acted.
 */
export async function refuseLastOwner(
  db: TenantDb,
  meta: RequestMeta,
  refused: {
    action: 'membership.updated' | 'membership.removed';
    actor?: string | undefined;
    userId: string | null;
    orgId: string;
    details: Record<string, unknown>;
  },
): Promise<AppError> {
  await audit(db, meta, {
    action: refused.action,
    outcome: 'denied',
    ...(refused.actor === undefined ? {} : { actor: refused.actor }),
    userId: refused.userId,
    target: refused.orgId,
    details: { ...refused.details, reason: 'last_owner' },
  });
  return new AppError('last_owner', 'Make another member owner first (transfer ownership).');
}
