import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import {
  CreateRoleBody,
  PatchRoleBody,
  Role,
  RoleList,
  RoleParams,
  UserRoleParams,
  toRoleView,
} from './roles.schemas';
import type { RoleService } from './roles.service';

const TAGS = ['admin roles'];

/** Tenant RBAC (docs/organizations.md); the bearer is a CP admin token (guards in routes/index.ts). */
export function roleRoutes(roles: RoleService) {
  const actor = (res: Parameters<typeof adminActorOf>[0]) =>
    `cp-admin:${adminActorOf(res).adminId}`;
  return {
    list: endpoint(
      { summary: "List the tenant's roles", tags: TAGS, response: RoleList },
      async function listRoles(_input, _req, res) {
        return { data: (await roles.list(tenantOf(res), null)).map(toRoleView) };
      },
    ),
    create: endpoint(
      {
        summary: 'Create a tenant role',
        tags: TAGS,
        body: CreateRoleBody,
        response: Role,
        status: 201,
        errors: ['role_key_taken'],
      },
      async function createRole({ body }, req, res) {
        const role = await roles.create(tenantOf(res), null, body, actor(res), requestMetaOf(req));
        return toRoleView(role);
      },
    ),
    get: endpoint(
      {
        summary: 'Get a tenant role',
        tags: TAGS,
        params: RoleParams,
        response: Role,
        errors: ['role_not_found'],
      },
      async function getRole({ params }, _req, res) {
        return toRoleView(await roles.get(tenantOf(res), null, params.role));
      },
    ),
    update: endpoint(
      {
        summary: "Change a tenant role's name or permissions (default roles too)",
        description: 'Tokens issued from now on carry the new permissions.',
        tags: TAGS,
        params: RoleParams,
        body: PatchRoleBody,
        response: Role,
        errors: ['role_not_found'],
      },
      async function updateRole({ params, body }, req, res) {
        const role = await roles.update(
          tenantOf(res),
          null,
          params.role,
          body,
          actor(res),
          requestMetaOf(req),
        );
        return toRoleView(role);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete a tenant role (and its assignments); built-in roles stay',
        tags: TAGS,
        params: RoleParams,
        status: 204,
        errors: ['role_not_found', 'role_in_use'],
      },
      async function deleteRole({ params }, req, res) {
        await roles.remove(tenantOf(res), null, params.role, actor(res), requestMetaOf(req));
      },
    ),
    assign: endpoint(
      {
        summary: 'Give a user a tenant role (idempotent)',
        tags: TAGS,
        params: UserRoleParams,
        status: 204,
        errors: ['user_not_found', 'role_not_found'],
      },
      async function assignUserRole({ params }, req, res) {
        await roles.assign(tenantOf(res), params.id, params.role, actor(res), requestMetaOf(req));
      },
    ),
    unassign: endpoint(
      {
        summary: 'Take a tenant role from a user (idempotent)',
        tags: TAGS,
        params: UserRoleParams,
        status: 204,
        errors: ['user_not_found', 'role_not_found'],
      },
      async function unassignUserRole({ params }, req, res) {
        await roles.unassign(tenantOf(res), params.id, params.role, actor(res), requestMetaOf(req));
      },
    ),
  };
}
