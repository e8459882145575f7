import {
  OWNER_ROLE,
  type MemberOrganizationRow,
  type MemberRow,
  type Page,
  type PageRequest,
  type RoleRow,
} from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { NewRoleInput, RolePatchInput, RoleService } from '../roles';
import { refuseLastOwner } from './last-owner-refusal';
import { accessOf, isOwner, requireGrantable, requireManager } from './org-access';
import { pageOrInvalidCursor } from './org-pages';
import {
  changeMemberRoleRecorded,
  createOrganizationRecorded,
  deleteOrganizationRecorded,
  removeMemberRecorded,
  updateOrganizationRecorded,
} from './org-writes';

export interface OrganizationPatchInput {
  name?: string | undefined;
  slug?: string | undefined;
}

/**
 * Organizations as their members use them (docs/organizations.md). Every call names the
 * caller (`userId`) and reads their membership first; every change is audited under them.
 */
export interface OrganizationService {
  create(
    tenant: TenantContext,
    userId: string,
    input: { name: string; slug: string },
    meta: RequestMeta,
  ): Promise<MemberOrganizationRow>;
  listMine(
    tenant: TenantContext,
    userId: string,
    request: PageRequest,
  ): Promise<Page<MemberOrganizationRow>>;
  get(tenant: TenantContext, userId: string, orgId: string): Promise<MemberOrganizationRow>;
  update(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    patch: OrganizationPatchInput,
    meta: RequestMeta,
  ): Promise<MemberOrganizationRow>;
  remove(tenant: TenantContext, userId: string, orgId: string, meta: RequestMeta): Promise<void>;
  listMembers(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    request: PageRequest,
  ): Promise<Page<MemberRow>>;
  changeMemberRole(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    memberId: string,
    role: string,
    meta: RequestMeta,
  ): Promise<MemberRow>;
  /** Removing yourself is leaving; an owner leaves only when another owner stays. */
  removeMember(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    memberId: string,
    meta: RequestMeta,
  ): Promise<void>;
  listRoles(tenant: TenantContext, userId: string, orgId: string): Promise<RoleRow[]>;
  createRole(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    input: NewRoleInput,
    meta: RequestMeta,
  ): Promise<RoleRow>;
  updateRole(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    key: string,
    patch: RolePatchInput,
    meta: RequestMeta,
  ): Promise<RoleRow>;
  removeRole(
    tenant: TenantContext,
    userId: string,
    orgId: string,
    key: string,
    meta: RequestMeta,
  ): Promise<void>;
}

export function createOrganizationService(deps: { roles: RoleService }): OrganizationService {
  async function member(
    tenant: TenantContext,
    orgId: string,
    memberId: string,
  ): Promise<MemberRow> {
    const found = (await tenant.db.memberships.listForOrganization(orgId)).find(
      (m) => m.userId === memberId,
    );
    if (!found) throw new AppError('member_not_found');
    return found;
  }

  return {
    async create(tenant, userId, input, meta) {
      const { id } = await createOrganizationRecorded(tenant.db, input, {
        userId,
        role: OWNER_ROLE,
      });
      await audit(tenant.db, meta, {
        action: 'organization.created',
        outcome: 'success',
        userId,
        target: id,
        details: { slug: input.slug },
      });
      await audit(tenant.db, meta, {
        action: 'membership.created',
        outcome: 'success',
        userId,
        target: id,
        details: { role: OWNER_ROLE, via: 'creation' },
      });
      const { organization } = await accessOf(tenant.db, id, userId);
      return { ...organization, role: OWNER_ROLE };
    },

    listMine: (tenant, userId, request) =>
      pageOrInvalidCursor(() => tenant.db.organizations.pageForUser(userId, request)),

    async get(tenant, userId, orgId) {
      const access = await accessOf(tenant.db, orgId, userId);
      return { ...access.organization, role: access.membership.role };
    },

    async update(tenant, userId, orgId, patch, meta) {
      const access = await accessOf(tenant.db, orgId, userId);
      requireManager(access);
      const updated = await updateOrganizationRecorded(tenant.db, orgId, patch);
      await audit(tenant.db, meta, {
        action: 'organization.updated',
        outcome: 'success',
        userId,
        target: orgId,
        details: { fields: Object.keys(patch) },
      });
      return { ...updated, role: access.membership.role };
    },

    async remove(tenant, userId, orgId, meta) {
      const access = await accessOf(tenant.db, orgId, userId);
      if (!isOwner(access)) {
        throw new AppError('insufficient_role', 'Only owners may delete the organization.');
      }
      await deleteOrganizationRecorded(tenant.db, orgId);
      await audit(tenant.db, meta, {
        action: 'organization.deleted',
        outcome: 'success',
        userId,
        target: orgId,
        details: { slug: access.organization.slug },
      });
    },

    async listMembers(tenant, userId, orgId, request) {
      await accessOf(tenant.db, orgId, userId);
      return pageOrInvalidCursor(() => tenant.db.memberships.pageForOrganization(orgId, request));
    },

    async changeMemberRole(tenant, userId, orgId, memberId, role, meta) {
      const access = await accessOf(tenant.db, orgId, userId);
      const target = await member(tenant, orgId, memberId);
      await requireGrantable(tenant.db, access, role, 'body.role');
      // Admins manage everyone but owners; owners step down themselves or are demoted by owners.
      if (target.role === OWNER_ROLE && !isOwner(access)) {
        throw new AppError('insufficient_role', "Only owners may change an owner's role.");
      }
      const outcome = await changeMemberRoleRecorded(tenant.db, orgId, memberId, role);
      if (outcome === 'not_found') throw new AppError('member_not_found');
      if (outcome === 'last_owner') {
        throw await refuseLastOwner(tenant.db, meta, {
          action: 'membership.updated',
          userId,
          orgId,
          details: { member: memberId, from: target.role, to: role },
        });
      }
      await audit(tenant.db, meta, {
        action: 'membership.updated',
        outcome: 'success',
        userId,
        target: orgId,
        details: { member: memberId, from: target.role, to: role },
      });
      return { ...target, role: outcome.role, updatedAt: outcome.updatedAt };
    },

    async removeMember(tenant, userId, orgId, memberId, meta) {
      const access = await accessOf(tenant.db, orgId, userId);
      if (memberId !== userId) {
        requireManager(access);
        const target = await member(tenant, orgId, memberId);
        if (target.role === OWNER_ROLE && !isOwner(access)) {
          throw new AppError('insufficient_role', 'Only owners may remove an owner.');
        }
      }
      const outcome = await removeMemberRecorded(tenant.db, orgId, memberId);
      if (outcome === 'not_found') throw new AppError('member_not_found');
      if (outcome === 'last_owner') {
        throw await refuseLastOwner(tenant.db, meta, {
          action: 'membership.removed',
          userId,
          orgId,
          details: { member: memberId, left: memberId === userId },
        });
      }
      await audit(tenant.db, meta, {
        action: 'membership.removed',
        outcome: 'success',
        userId,
        target: orgId,
        details: { member: memberId, left: memberId === userId },
      });
    },

    async listRoles(tenant, userId, orgId) {
      await accessOf(tenant.db, orgId, userId);
      return deps.roles.list(tenant, orgId);
    },

    async createRole(tenant, userId, orgId, input, meta) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      return deps.roles.create(tenant, orgId, input, `user:${userId}`, meta);
    },

    async updateRole(tenant, userId, orgId, key, patch, meta) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      return deps.roles.update(tenant, orgId, key, patch, `user:${userId}`, meta);
    },

    async removeRole(tenant, userId, orgId, key, meta) {
      requireManager(await accessOf(tenant.db, orgId, userId));
      await deps.roles.remove(tenant, orgId, key, `user:${userId}`, meta);
    },
  };
}
