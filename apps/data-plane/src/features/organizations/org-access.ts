import {
  OWNER_ROLE,
  type MembershipRow,
  type OrganizationRow,
  type TenantDb,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { organizationRole } from '../../authorization/authorization-claims';

/** Who may manage an organization: owners everything, admins everything but ownership. */
const ADMIN_ROLE = 'admin';

/** The organization and the caller's membership, read on every request. */
export interface OrgAccess {
  organization: OrganizationRow;
  membership: MembershipRow;
}

/**
 * The organization as the caller sees it. A non-member (or an unknown id, or another tenant's)
 * is `organization_not_found`, never 403: whether an organization exists is not revealed.
 * Membership is read per request, so a removed member loses access at once.
 */
export async function accessOf(db: TenantDb, orgId: string, userId: string): Promise<OrgAccess> {
  const membership = await db.memberships.find(orgId, userId);
  const organization = membership ? await db.organizations.findById(orgId) : undefined;
  if (!membership || !organization) throw new AppError('organization_not_found');
  return { organization, membership };
}

export const isOwner = (access: OrgAccess): boolean => access.membership.role === OWNER_ROLE;
const isManager = (access: OrgAccess): boolean =>
  isOwner(access) || access.membership.role === ADMIN_ROLE;

/** Owners and admins manage the organization; others get `insufficient_role`. */
export function requireManager(access: OrgAccess): void {
  if (!isManager(access)) {
    throw new AppError('insufficient_role', 'Only owners and admins may do this.');
  }
}

/**
 * Whether the caller may hand out `role` (to a member or an invitee): owners any role, admins
 * any but `owner`. The role must exist for the organization (its own or tenant-wide).
 */
export async function requireGrantable(
  db: TenantDb,
  access: OrgAccess,
  role: string,
  field: string,
): Promise<void> {
  requireManager(access);
  if (role === OWNER_ROLE && !isOwner(access)) {
    throw new AppError('insufficient_role', `Only owners may grant "owner" (${field}).`);
  }
  if (!(await organizationRole(db, access.organization.id, role))) {
    throw new AppError('role_not_found', `No role "${role}" in this organization (${field}).`);
  }
}
