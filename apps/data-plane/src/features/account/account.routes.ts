import { endpoint } from '@hellojohn/http';
import { requestMetaOf } from '../../audit/request-meta';
import { callerOf } from '../../guards/require-user';
import { tenantOf } from '../../tenancy/tenant-context';
import { User, toUserView } from '../../users/user.schemas';
import { ChangePasswordBody, DeleteMeBody, UpdateMeBody } from './account.schemas';
import type { AccountService } from './account.service';

const TAGS = ['me'];

/** `/v1/me`: the signed-in user's own account (behind `requireUser`). */
export function accountRoutes(account: AccountService) {
  return {
    get: endpoint(
      {
        summary: 'The signed-in user',
        tags: TAGS,
        response: User,
        errors: ['invalid_token'],
      },
      async function getMe(_input, _req, res) {
        return toUserView(await account.get(tenantOf(res), callerOf(res)));
      },
    ),
    update: endpoint(
      {
        summary: 'Change your name or metadata (at most 8 KiB of JSON)',
        tags: TAGS,
        body: UpdateMeBody,
        response: User,
        errors: ['invalid_token', 'validation_failed'],
      },
      async function updateMe({ body }, _req, res) {
        return toUserView(await account.update(tenantOf(res), callerOf(res), body));
      },
    ),
    changePassword: endpoint(
      {
        summary: 'Change your password; every other session ends',
        tags: TAGS,
        body: ChangePasswordBody,
        status: 204,
        errors: ['invalid_token', 'invalid_credentials', 'weak_password'],
      },
      async function changeMyPassword({ body }, req, res) {
        await account.changePassword(
          tenantOf(res),
          callerOf(res),
          { currentPassword: body.current_password, newPassword: body.new_password },
          requestMetaOf(req),
        );
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete your account (password required)',
        description:
          'Refused with 409 `last_owner` (naming the organizations) while you are the only owner of an organization.',
        tags: TAGS,
        body: DeleteMeBody,
        status: 204,
        errors: ['invalid_token', 'invalid_credentials', 'last_owner'],
      },
      async function deleteMe({ body }, req, res) {
        await account.delete(tenantOf(res), callerOf(res), body.password, requestMetaOf(req));
      },
    ),
  };
}
