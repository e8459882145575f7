import { AppError, endpoint } from '@hellojohn/http';
import { claimsOf } from '../auth/require-user';
import { tenantOf } from '../tenancy/tenant-context';
import { User } from '../schemas/auth.schemas';
import { toUserView } from '../schemas/user-view';

export function meRoutes() {
  return {
    get: endpoint(
      {
        summary: 'The signed-in user',
        tags: ['me'],
        response: User,
        errors: ['unauthenticated', 'invalid_token'],
      },
      async function getMe(_input, _req, res) {
        const user = await tenantOf(res).db.users.findById(claimsOf(res).sub);
        if (!user) throw new AppError('invalid_token', 'The user no longer exists.');
        return toUserView(user);
      },
    ),
  };
}
