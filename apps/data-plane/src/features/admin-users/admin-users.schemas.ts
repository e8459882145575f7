import type { UserRow } from '@hellojohn/dal';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import { z } from 'zod';
import { Email, Password } from '../../credentials/credential.schemas';
import { Metadata, Name, User, toUserView } from '../../users/user.schemas';

/** A user as tenant admins see it: with its status. */
export const AdminUser = User.extend({ status: z.enum(['active', 'disabled']) });

export const AdminUserList = pageOf(AdminUser);

export const AdminUserQuery = pageQuery.extend({
  email: safeText().min(1).max(254).optional().describe('Keeps users whose email starts with it.'),
});

export const CreateAdminUserBody = z.strictObject({
  email: Email,
  password: Password.optional().describe('Omit for an account that cannot sign in by password.'),
  name: Name.optional(),
  email_verified: z.boolean().optional(),
});

export const PatchAdminUserBody = z.strictObject({
  name: Name.nullable().optional(),
  metadata: Metadata.optional(),
  disabled: z.boolean().optional().describe('true: the user cannot sign in; sessions are revoked.'),
});

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const UserIdParams = z.object({ id: z.string().min(1).max(64) });

export function toAdminUserView(user: UserRow): z.input<typeof AdminUser> {
  return { ...toUserView(user), status: user.status };
}
