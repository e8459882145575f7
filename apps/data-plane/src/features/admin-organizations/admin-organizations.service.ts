import {
  OWNER_ROLE,
  type AuditAction,
  type InvitationRow,
  type MemberRow,
  type OrganizationRow,
  type Page,
  type PageRequest,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import { organizationRole } from '../../authorization/authorization-claims';
import type { AdminActor } from '../../guards/require-cp-admin';
import type { TenantContext } from '../../tenancy/tenant-context';
import { changeRole, join, memberOf, type MemberChange } from './admin-member-changes';
import {
  createOrganizationRecorded,
  deleteOrganizationRecorded,
  pageOrInvalidCursor,
  refuseLastOwner,
  removeMemberRecorded,
  updateOrganizationRecorded,
} from '../organizations';

export interface NewOrganizationByAdmin {
  name: string;
  slug: string;
  ownerUserId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

export interface AdminOrganizationPatch {
  name?: string | undefined;
  slug?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * Tenant-admin organization management (docs/organizations.md, "Tenant admins"). Admins are not
 * members: they see every organization, and an `{org}` is its id or its slug. The writes, their
 * domain events and the last-owner rule are the members' own (features/organizations); the audit
 * rows name the admin as `cp-admin:<id>`.
 */
export interface AdminOrganizationService {
  list(
    tenant: TenantContext,
    request: PageRequest & { search?: string | undefined },
  ): Promise<Page<OrganizationRow>>;
  create(
    tenant: TenantContext,
    actor: AdminActor,
    input: NewOrganizationByAdmin,
    meta: RequestMeta,
  ): Promise<OrganizationRow>;
  get(tenant: TenantContext, org: string): Promise<OrganizationRow>;
  update(
    tenant: TenantContext,
    actor: AdminActor,
    org: string,
    patch: AdminOrganizationPatch,
    meta: RequestMeta,
  ): Promise<OrganizationRow>;
  remove(tenant: TenantContext, actor: AdminActor, org: string, meta: RequestMeta): Promise<void>;
  listMembers(tenant: TenantContext, org: string, request: PageRequest): Promise<Page<MemberRow>>;
  /** Adds the user with `role`, or changes their role; `created` tells which. */
  putMember(
    tenant: TenantContext,
    actor: AdminActor,
    org: string,
    userId: string,
    role: string,
    meta: RequestMeta,
  ): Promise<{ member: MemberRow; created: boolean }>;
  /** The last owner stays: 409 `last_owner`, as for members. */
  removeMember(
    tenant: TenantContext,
    actor: AdminActor,
    org: string,
    userId: string,
    meta: RequestMeta,
  ): Promise<void>;
  listInvitations(
    tenant: TenantContext,
    org: string,
    request: PageRequest,
  ): Promise<Page<InvitationRow>>;
  revokeInvitation(
    tenant: TenantContext,
    actor: AdminActor,
    org: string,
    invitationId: string,
    meta: RequestMeta,
  ): Promise<void>;
}

const actorOf = (actor: AdminActor): string => `cp-admin:${actor.adminId}`;

/** A change that went through, audited under the admin (`cp-admin:<id>`). */
function audited(
  tenant: TenantContext,
  meta: RequestMeta,
  actor: AdminActor,
  entry: { action: AuditAction; userId?: string; target: string; details: Record<string, unknown> },
): Promise<void> {
  return audit(tenant.db, meta, {
    ...entry,
    outcome: 'success',
    actor: actorOf(actor),
    userId: entry.userId ?? null,
  });
}

/** The organization named by id or slug; another tenant's is not in this database, so 404. */
async function find(tenant: TenantContext, org: string): Promise<OrganizationRow> {
  const found =
    (await tenant.db.organizations.findById(org)) ??
    (await tenant.db.organizations.findBySlug(org));
  if (!found) throw new AppError('organization_not_found');
  return found;
}

export function createAdminOrganizationService(): AdminOrganizationService {
  return {
    list: (tenant, request) => pageOrInvalidCursor(() => tenant.db.organizations.page(request)),

    async create(tenant, actor, input, meta) {
      if (input.ownerUserId !== undefined && !(await tenant.db.users.findById(input.ownerUserId))) {
        throw new AppError('user_not_found', 'No such user (body.owner_user_id).');
      }
      const owner =
        input.ownerUserId === undefined
          ? undefined
          : { userId: input.ownerUserId, role: OWNER_ROLE };
      const created = await createOrganizationRecorded(tenant.db, input, owner);
      await audited(tenant, meta, actor, {
        action: 'organization.created',
        target: created.id,
        details: { slug: created.slug },
      });
      if (owner) {
        await audited(tenant, meta, actor, {
          action: 'membership.created',
          userId: owner.userId,
          target: created.id,
          details: { role: owner.role, via: 'admin' },
        });
      }
      return created;
    },

    get: find,

    async update(tenant, actor, org, patch, meta) {
      const { id } = await find(tenant, org);
      const updated = await updateOrganizationRecorded(tenant.db, id, patch);
      await audited(tenant, meta, actor, {
        action: 'organization.updated',
        target: id,
        details: { fields: Object.keys(patch) },
      });
      return updated;
    },

    async remove(tenant, actor, org, meta) {
      const found = await find(tenant, org);
      await deleteOrganizationRecorded(tenant.db, found.id);
      await audited(tenant, meta, actor, {
        action: 'organization.deleted',
        target: found.id,
        details: { slug: found.slug },
      });
    },

    async listMembers(tenant, org, request) {
      const { id } = await find(tenant, org);
      return pageOrInvalidCursor(() => tenant.db.memberships.pageForOrganization(id, request));
    },

    async putMember(tenant, actor, org, userId, role, meta) {
      const { id } = await find(tenant, org);
      if (!(await tenant.db.users.findById(userId))) throw new AppError('user_not_found');
      if (!(await organizationRole(tenant.db, id, role))) {
        throw new AppError('role_not_found', `No role "${role}" in this organization (body.role).`);
      }
      const change: MemberChange = { tenant, actor: actorOf(actor), meta, orgId: id, userId };
      const existing = await tenant.db.memberships.find(id, userId);
      const created = !existing && (await join(change, role));
      // A concurrent PUT that added them first leaves a membership to change like any other.
      if (!created)
        await changeRole(change, existing ?? (await memberOf(tenant, id, userId)), role);
      return { member: await memberOf(tenant, id, userId), created };
    },

    async removeMember(tenant, actor, org, userId, meta) {
      const { id } = await find(tenant, org);
      const outcome = await removeMemberRecorded(tenant.db, id, userId);
      const details = { member: userId, left: false };
      if (outcome === 'not_found') throw new AppError('member_not_found');
      if (outcome === 'last_owner') {
        throw await refuseLastOwner(tenant.db, meta, {
          action: 'membership.removed',
          actor: actorOf(actor),
          userId,
          orgId: id,
          details,
        });
      }
      await audited(tenant, meta, actor, {
        action: 'membership.removed',
        userId,
        target: id,
        details,
      });
    },

    async listInvitations(tenant, org, request) {
      const { id } = await find(tenant, org);
      return pageOrInvalidCursor(() => tenant.db.invitations.pagePending(id, new Date(), request));
    },

    async revokeInvitation(tenant, actor, org, invitationId, meta) {
      const { id } = await find(tenant, org);
      if (!(await tenant.db.invitations.revoke(id, invitationId, new Date()))) {
        throw new AppError('invitation_not_found');
      }
      await audited(tenant, meta, actor, {
        action: 'invitation.revoked',
        target: invitationId,
        details: { organization_id: id },
      });
    },
  };
}
