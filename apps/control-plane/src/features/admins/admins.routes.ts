import { endpoint, pageQuery } from '@hellojohn/http';
import { z } from 'zod';
import {
  Admin,
  AdminList,
  AdminParams,
  CreateAdminBody,
  InvitedAdmin,
  UpdateAdminBody,
} from './admins.schemas';
import type { AdminService } from './admins.service';

const TAGS = ['admins'];

export function adminRoutes(admins: AdminService) {
  return {
    list: endpoint(
      {
        summary: 'List CP admins',
        tags: TAGS,
        query: pageQuery,
        response: AdminList,
        errors: ['invalid_cursor'],
      },
      async function listAdmins({ query }) {
        return admins.list(query);
      },
    ),
    create: endpoint(
      {
        summary: 'Create a CP admin',
        tags: TAGS,
        body: CreateAdminBody,
        response: InvitedAdmin,
        status: 201,
        errors: ['admin_email_taken'],
        description:
          'Role `owner`, `admin` or `viewer`, on every tenant (`tenants` omitted or `"*"`) or on a list of tenant ids or slugs. Without a `password` (or with `invite: true`) the admin is created `invited` and mailed a one-time link (72 hours) to `{HJ_CP_URL}/console/#/accept-invitation?token=...`, accepted with `POST /v1/auth/invitations/accept`.',
      },
      async function createAdmin({ body }) {
        return admins.create(body);
      },
    ),
    resendInvitation: endpoint(
      {
        summary: 'Mail an invited admin a new invitation link (earlier links stop working)',
        tags: TAGS,
        params: AdminParams,
        body: z.strictObject({}).optional(),
        response: InvitedAdmin,
        errors: ['admin_not_found', 'admin_not_invited'],
      },
      async function resendAdminInvitation({ params }) {
        return admins.resendInvitation(params.id);
      },
    ),
    update: endpoint(
      {
        summary: "Change a CP admin's role or tenants, or disable or enable it",
        description:
          "The admin's earlier tokens stop working on the data plane within seconds; disabling also ends its sessions. The last enabled owner of every tenant cannot be demoted or disabled.",
        tags: TAGS,
        params: AdminParams,
        body: UpdateAdminBody,
        response: Admin,
        errors: ['admin_not_found', 'last_admin'],
      },
      async function updateAdmin({ params, body }) {
        return admins.update(params.id, body);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete a CP admin (never the last owner)',
        tags: TAGS,
        params: AdminParams,
        status: 204,
        errors: ['admin_not_found', 'last_admin'],
      },
      async function deleteAdmin({ params }) {
        await admins.remove(params.id);
      },
    ),
  };
}
