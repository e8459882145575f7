import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  type MembershipRow,
  type OrganizationPatch,
  type OrganizationRow,
  type TenantDb,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { recordDomainEvent } from '../../outbox';

/**
 * The organization writes both its members (organizations.service.ts) and tenant admins
 * (features/admin-organizations) make: each change and its `organization.*` / `membership.*`
 * domain event commit in one transaction. Who may make them, and the audit rows, are the callers'.
 */

const slugTaken = () =>
  new AppError('organization_slug_taken', 'An organization with this slug exists (body.slug).');

/** Creates the organization, with `ownerUserId` (if any) as its first `owner`. */
export async function createOrganizationRecorded(
  db: TenantDb,
  input: { slug: string; name: string; metadata?: Record<string, unknown> | undefined },
  owner?: { userId: string; role: string },
): Promise<OrganizationRow> {
  const id = randomUUID();
  try {
    return await db.transaction(async (tx) => {
      const created = await tx.organizations.create({
        id,
        slug: input.slug,
        name: input.name,
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
      });
      await recordDomainEvent(tx, 'organization.created', {
        organization_id: id,
        slug: input.slug,
        name: input.name,
      });
      if (owner) await addMemberIn(tx, id, owner.userId, owner.role);
      return created;
    });
  } catch (error) {
    if (error instanceof ConflictError) throw slugTaken();
    throw error;
  }
}

/** Adds a member and records `membership.created`, inside the caller's transaction. */
async function addMemberIn(
  tx: TenantDb,
  organizationId: string,
  userId: string,
  role: string,
): Promise<MembershipRow> {
  const added = await tx.memberships.add({ id: randomUUID(), organizationId, userId, role });
  await recordDomainEvent(tx, 'membership.created', {
    organization_id: organizationId,
    user_id: userId,
    role,
  });
  return added;
}

/** Adds a member; `ConflictError` when they are one already (the caller decides what that means). */
export function addMemberRecorded(
  db: TenantDb,
  organizationId: string,
  userId: string,
  role: string,
): Promise<MembershipRow> {
  return db.transaction((tx) => addMemberIn(tx, organizationId, userId, role));
}

/** `organization_not_found` when it is gone; `organization_slug_taken` for a taken slug. */
export async function updateOrganizationRecorded(
  db: TenantDb,
  orgId: string,
  patch: OrganizationPatch,
): Promise<OrganizationRow> {
  let updated: OrganizationRow | undefined;
  try {
    updated = await db.transaction(async (tx) => {
      const row = await tx.organizations.update(orgId, patch);
      if (row) {
        await recordDomainEvent(tx, 'organization.updated', {
          organization_id: row.id,
          slug: row.slug,
          name: row.name,
        });
      }
      return row;
    });
  } catch (error) {
    if (error instanceof ConflictError) throw slugTaken();
    throw error;
  }
  if (!updated) throw new AppError('organization_not_found');
  return updated;
}

/** Deletes it with its members and invitations; `organization_not_found` when it is gone. */
export async function deleteOrganizationRecorded(db: TenantDb, orgId: string): Promise<void> {
  const deleted = await db.transaction(async (tx) => {
    if (!(await tx.organizations.delete(orgId))) return false;
    await recordDomainEvent(tx, 'organization.deleted', { organization_id: orgId });
    return true;
  });
  if (!deleted) throw new AppError('organization_not_found');
}

/** The membership repository's owner-guarded role change, with its event when it happened. */
export function changeMemberRoleRecorded(
  db: TenantDb,
  orgId: string,
  memberId: string,
  role: string,
): Promise<MembershipRow | 'not_found' | 'last_owner'> {
  return db.transaction(async (tx) => {
    const changed = await tx.memberships.changeRole(orgId, memberId, role);
    if (typeof changed === 'object') {
      await recordDomainEvent(tx, 'membership.updated', {
        organization_id: orgId,
        user_id: memberId,
        role: changed.role,
      });
    }
    return changed;
  });
}

/** The membership repository's owner-guarded removal, with its event when it happened. */
export function removeMemberRecorded(
  db: TenantDb,
  orgId: string,
  memberId: string,
): Promise<'removed' | 'not_found' | 'last_owner'> {
  return db.transaction(async (tx) => {
    const removed = await tx.memberships.remove(orgId, memberId);
    if (removed === 'removed') {
      await recordDomainEvent(tx, 'membership.deleted', {
        organization_id: orgId,
        user_id: memberId,
      });
    }
    return removed;
  });
}
