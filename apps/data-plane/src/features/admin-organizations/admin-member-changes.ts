import { ConflictError, type MemberRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import { addMemberRecorded, changeMemberRoleRecorded, refuseLastOwner } from '../organizations';

/** The member with their email and name, as the member list shows them. */
export async function memberOf(
  tenant: TenantContext,
  orgId: string,
  userId: string,
): Promise<MemberRow> {
  const found = (await tenant.db.memberships.listForOrganization(orgId)).find(
    (m) => m.userId === userId,
  );
  if (!found) throw new AppError('member_not_found');
  return found;
}

/** One admin change to one membership, and what its audit rows need. */
export interface MemberChange {
  tenant: TenantContext;
  actor: string;
  meta: RequestMeta;
  orgId: string;
  userId: string;
}

/** Adds the member; false when a concurrent request added them first. */
export async function join(change: MemberChange, role: string): Promise<boolean> {
  const { tenant, orgId, userId } = change;
  try {
    await addMemberRecorded(tenant.db, orgId, userId, role);
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
  await audit(tenant.db, change.meta, {
    action: 'membership.created',
    outcome: 'success',
    actor: change.actor,
    userId,
    target: orgId,
    details: { role, via: 'admin' },
  });
  return true;
}

/** Gives the member `role`; the same role again changes nothing and emits nothing. */
export async function changeRole(
  change: MemberChange,
  current: { role: string },
  role: string,
): Promise<void> {
  if (current.role === role) return;
  const { tenant, orgId, userId } = change;
  const outcome = await changeMemberRoleRecorded(tenant.db, orgId, userId, role);
  const details = { member: userId, from: current.role, to: role };
  if (outcome === 'not_found') throw new AppError('member_not_found');
  if (outcome === 'last_owner') {
    throw await refuseLastOwner(tenant.db, change.meta, {
      action: 'membership.updated',
      actor: change.actor,
      userId,
      orgId,
      details,
    });
  }
  await audit(tenant.db, change.meta, {
    action: 'membership.updated',
    outcome: 'success',
    actor: change.actor,
    userId,
    target: orgId,
    details,
  });
}
