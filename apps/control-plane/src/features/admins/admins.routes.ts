import { endpoint, pageQuery } from '@hellojohn/http';
import { Admin, AdminList, AdminParams, CreateAdminBody } from './admins.schemas';
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
        response: Admin,
        status: 201,
        errors: ['admin_email_taken'],
      },
      async function createAdmin({ body }) {
        return admins.create(body);
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
