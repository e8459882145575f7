import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { adminActorOf } from '../../guards/require-cp-admin';
import { tenantOf } from '../../tenancy/tenant-context';
import {
  AdminUser,
  AdminUserList,
  AdminUserQuery,
  CreateAdminUserBody,
  PatchAdminUserBody,
  UserIdParams,
  toAdminUserView,
} from './admin-users.schemas';
import type { AdminUserService } from './admin-users.service';

const TAGS = ['admin users'];

/** Tenant-admin user management; the bearer is a CP admin token (guards in routes/index.ts). */
export function adminUserRoutes(users: AdminUserService) {
  return {
    list: endpoint(
      {
        summary: 'List the tenant users (oldest first), optionally by email prefix',
        tags: TAGS,
        query: AdminUserQuery,
        response: AdminUserList,
        errors: ['invalid_cursor'],
      },
      async function listUsers({ query }, _req, res) {
        const page = await users.list(tenantOf(res), query);
        return { data: page.rows.map(toAdminUserView), next_cursor: page.nextCursor };
      },
    ),
    create: endpoint(
      {
        summary: 'Create a user',
        tags: TAGS,
        body: CreateAdminUserBody,
        response: AdminUser,
        status: 201,
        errors: ['email_taken', 'weak_password'],
      },
      async function createUser({ body }, req, res) {
        const user = await users.create(
          tenantOf(res),
          adminActorOf(res),
          {
            email: body.email,
            password: body.password,
            name: body.name,
            emailVerified: body.email_verified,
          },
          requestMetaOf(req),
        );
        return toAdminUserView(user);
      },
    ),
    get: endpoint(
      {
        summary: 'Get a user',
        tags: TAGS,
        params: UserIdParams,
        response: AdminUser,
        errors: ['user_not_found'],
      },
      async function getUser({ params }, _req, res) {
        return toAdminUserView(await users.get(tenantOf(res), params.id));
      },
    ),
    update: endpoint(
      {
        summary: 'Change a user: name, metadata, or disable (which ends their sessions)',
        tags: TAGS,
        params: UserIdParams,
        body: PatchAdminUserBody,
        response: AdminUser,
        errors: ['user_not_found'],
      },
      async function updateUser({ params, body }, req, res) {
        const user = await users.update(
          tenantOf(res),
          adminActorOf(res),
          params.id,
          body,
          requestMetaOf(req),
        );
        return toAdminUserView(user);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete a user with their sessions',
        description:
          'Refused with 409 `last_owner` (naming the organizations) while the user is the only owner of an organization.',
        tags: TAGS,
        params: UserIdParams,
        status: 204,
        errors: ['user_not_found', 'last_owner'],
      },
      async function deleteUser({ params }, req, res) {
        await users.delete(tenantOf(res), adminActorOf(res), params.id, requestMetaOf(req));
      },
    ),
    signOut: endpoint(
      {
        summary: 'End every session of a user',
        tags: TAGS,
        params: UserIdParams,
        status: 204,
        errors: ['user_not_found'],
      },
      async function signOutUser({ params }, req, res) {
        await users.signOut(tenantOf(res), adminActorOf(res), params.id, requestMetaOf(req));
      },
    ),
  };
}
